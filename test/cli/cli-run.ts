import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface Run {
  code: number;
  out: string[];
  err: string[];
  /** Everything written, both streams. */
  all: string;
}

/** Runs `hayon <argv>` in-process against a data dir, collecting what it writes. */
export async function hayon(dataDir: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { HAYON_DATA_DIR: dataDir, HAYON_LOG_LEVEL: 'silent', ...env },
    cwd: dataDir,
  };
  const code = await main(argv, io);
  return { code, out, err, all: [...out, ...err].join('\n') };
}

export interface TextRun {
  code: number;
  out: string;
  err: string;
}

/** `hayon <argv>` as above, each stream as one text. */
export async function hayonText(dataDir: string, argv: string[]): Promise<TextRun> {
  const { code, out, err } = await hayon(dataDir, argv);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The arguments of `hayon accounts add bluesky` for an account on `service`. */
export function addBluesky(service: string, identifier: string, appPassword: string): string[] {
  return [
    'accounts',
    'add',
    'bluesky',
    '--service',
    service,
    '--identifier',
    identifier,
    '--app-password',
    appPassword,
  ];
}
