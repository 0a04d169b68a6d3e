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
  /** Builds everything `hayon serve` runs (once). */
  openServe(): Promise<AppContext>;
  /** Builds what `hayon worker` runs (once): no scheduler, no chat receivers, no connect flows. */
  openWorker(): Promise<WorkerContext>;
}

export type Command = (c: CommandContext) => Promise<number>;

/** parseArgs with strict checking; unknown flags and missing values become a UsageError. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${usage}`);
  }
}

export function required(value: string | undefined, flag: string, usage: string): string {
  if (!value) throw new UsageError(`missing ${flag}\nusage: ${usage}`);
  return value;
}
