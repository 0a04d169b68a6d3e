import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { AppContext, CliContext, WorkerContext } from '../app/app-context.js';

/** Where a command writes, and the environment it reads: injectable for tests. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A mistake in how the command was called: the message is shown and the exit code is 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandContext {
  args: string[];
  io: CliIo;
  /** Builds the adapters and services from the environment (once) for commands that need the store. */
  open(): Promise<CliContext>;
  /** Builds everything `hayon serve` runs (once); `port` stands for HAYON_PORT (`serve --port`). */
  openServe(port?: number): Promise<AppContext>;
  /** Builds what `hayon worker` runs (once): no scheduler, no chat receivers, no connect flows. */
  openWorker(): Promise<WorkerContext>;
}

export type Command = (c: CommandContext) => Promise<number>;

/** `hayon post` from a usage text that starts `hayon post "<text>" …`. */
export function commandOf(usage: string): string {
  return /^hayon(?: [a-z][\w-]*)?/.exec(usage.trim())?.[0] ?? 'hayon';
}

/**
 * parseArgs with strict checking. An unknown flag, a flag without its value or a value given to
 * a switch becomes a UsageError that names the flag and points at the command's `--help`, never
 * Node's own wording.
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(flagProblem(e as Error & { code?: string }, commandOf(usage)));
  }
}

function flagProblem(e: Error & { code?: string }, command: string): string {
  const flag = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
  const help = `${command} --help lists its flags`;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown flag ${flag} for ${command} (${help}; a text that starts with - goes after --)`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take/.test(e.message)
      ? `${flag} takes no value (${help})`
      : `${flag} needs a value, as in ${flag} VALUE (${help})`;
  }
  return `${e.message} (${help})`;
}

/** Whether the arguments ask for help (`--help` or `-h` before any `--`). */
export function asksForHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

export function required(value: string | undefined, flag: string, usage: string): string {
  if (!value) throw new UsageError(`missing ${flag}\nusage: ${usage}`);
  return value;
}

/**
 * After printing a URL people or platforms open: when `HAYON_PUBLIC_URL` is not set it was made
 * from the port, which is only right on this machine and when the server runs on that port.
 */
export function notePublicUrl(io: CliIo, config: { publicUrl: string }): void {
  if (io.env.HAYON_PUBLIC_URL) return;
  io.err(
    `The URL is on ${config.publicUrl} (HAYON_PORT, default 8787): set HAYON_PUBLIC_URL to the address ` +
      'hayon is reached at when that is elsewhere.',
  );
}
