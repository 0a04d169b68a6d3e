import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

/**
 * The fault matrix (#22): for each dependency taken away, at each step where hayon uses it, what
 * hayon does and what it keeps. The README's "When a dependency is away" table says the same; each
 * fault test names its cell with {@link recordCell}, and the fault report (matrix-report.ts,
 * vitest's globalSetup) prints the table with each cell's result after the run.
 */
export const steps = ['ingest', 'schedule', 'publish', 'notify'] as const;
export type Step = (typeof steps)[number];

export const dependencies = [
  'SQLite locked',
  'SQLite disk full',
  'MongoDB down',
  'RabbitMQ down',
  'S3 down',
  'platform down',
  'platform hanging',
  'Slack API down',
  'Discord API down',
] as const;
export type Dependency = (typeof dependencies)[number];

/** The one-line decision of each cell; a step where the dependency is not used is left out. */
export const decisions: Record<Dependency, Partial<Record<Step, string>>> = {
  'SQLite locked': {
    ingest: '503 store_unavailable, Retry-After: 30 (chat: an ephemeral); nothing half-written',
    schedule: 'passes fail and are logged, tried again each second; the post goes out once when back',
    publish:
      'the outcome is written again for 30 s; past that the lease lapses and the next attempt asks the platform first; published once',
    notify:
      'the outcome and its replies are written once it is back (tried for 30 s; a write cut off on its way is recognised): none sent before, none lost',
  },
  'SQLite disk full': {
    ingest: '503 store_unavailable naming the full disk; nothing half-written',
    schedule: 'as locked: the post goes out once when there is room',
    publish: 'as locked',
    notify: 'as locked',
  },
  'MongoDB down': {
    ingest: '503 store_unavailable within 3 s, Retry-After: 30; nothing half-written',
    schedule: 'passes fail and are logged, tried again each second; the post goes out once when back',
    publish:
      'the outcome is written again for 30 s; past that the lease lapses and the next attempt asks the platform first; published once',
    notify:
      'the outcome and its replies are written once it is back (tried for 30 s; a write cut off on its way is recognised): none sent before, none lost',
  },
  'RabbitMQ down': {
    ingest: '202 at once: the post is stored; sent when the broker is back (30 s of retries, then the sweeper)',
    schedule: 'the due post waits as queued; sent when the broker is back; published once',
    publish: 'an unacked message is redelivered; the claim drops it when already published',
  },
  'S3 down': {
    ingest: '503 store_unavailable naming the media store (S3), Retry-After: 30; nothing kept',
    publish: 'transient ("The media store could not be read."): retried; published once with its media',
  },
  'platform down': {
    publish: 'transient ("could not be reached"): retried with backoff; published once when back',
  },
  'platform hanging': {
    publish:
      'each call times out (HAYON_PLATFORM_TIMEOUT_MS), the attempt at its deadline (the lease): transient, retried; published once',
  },
  'Slack API down': {
    notify: 'replies wait in the chat outbox (retried up to 5 min apart, for 24 h); each arrives once, in order',
  },
  'Discord API down': {
    notify: 'replies wait in the chat outbox (retried up to 5 min apart, for 24 h); each arrives once, in order',
  },
};

export interface CellResult {
  dependency: Dependency;
  step: Step;
  test: string;
  state: string;
  ms: number;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const folder = path.join(root, '.tmp', 'fault-matrix');
/** Set by matrix-report.ts for the run's test processes: concurrent runs keep their own results. */
export const runFileVariable = 'HAYON_FAULT_MATRIX_FILE';
/** The results of the last run that had fault tests, kept for `npx tsx test/faults/matrix-report.ts`. */
export const lastRunFile = path.join(folder, 'last-run.jsonl');

/** One JSON line per fault test of the current run. */
export function resultsFile(): string {
  return process.env[runFileVariable] ?? path.join(folder, `run-${process.pid}.jsonl`);
}

/** A file of its own for this run's results, named in the environment its test processes inherit. */
export function newRunFile(): string {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `run-${process.pid}-${Date.now()}.jsonl`);
  process.env[runFileVariable] = file;
  return file;
}

/**
 * Names the cell the calling test checks: call it first in the test. When the test ends its
 * result (pass, fail, skip) is written for the matrix report.
 */
export function recordCell(dependency: Dependency, step: Step): void {
  if (!(step in decisions[dependency])) throw new Error(`${dependency} · ${step} is not a cell of the matrix`);
  const started = Date.now();
  onTestFinished(({ task }) => {
    const state = task.result?.state ?? 'run';
    const line: CellResult = { dependency, step, test: task.name, state, ms: Date.now() - started };
    const file = resultsFile();
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}

/** Keeps a finished run's results as the last run's (when it had any) and removes its file. */
export function keepRun(file: string): CellResult[] {
  const results = readResults(file);
  if (results.length > 0) copyFileSync(file, lastRunFile);
  rmSync(file, { force: true });
  return results;
}

export function readResults(file: string): CellResult[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CellResult);
}

const mark = (results: CellResult[]) =>
  results.length === 0
    ? '·'
    : results.some((r) => r.state === 'fail')
      ? '✗'
      : results.every((r) => r.state === 'skip')
        ? '–'
        : '✓';

/** The matrix as text: dependency × step with ✓/✗, then each cell's decision and its tests. */
export function formatMatrix(results: CellResult[]): string {
  const at = (d: Dependency, s: Step) => results.filter((r) => r.dependency === d && r.step === s);
  const width = Math.max(...dependencies.map((d) => d.length)) + 2;
  const lines = [
    'Fault matrix (#22): ✓ passed · ✗ failed · – skipped · · not run · n/a: not used at that step',
    `${''.padEnd(width)}${steps.map((s) => s.padEnd(10)).join('')}`,
  ];
  for (const d of dependencies) {
    const row = steps.map((s) => {
      if (!(s in decisions[d])) return 'n/a'.padEnd(10);
      const r = at(d, s);
      return `${mark(r)}${r.length > 1 ? ` ×${r.length}` : ''}`.padEnd(10);
    });
    lines.push(`${d.padEnd(width)}${row.join('')}`);
  }
  lines.push('');
  for (const d of dependencies) {
    for (const s of steps) {
      const decision = decisions[d][s];
      if (!decision) continue;
      const r = at(d, s);
      lines.push(`${mark(r)} ${d} · ${s}: ${decision}`);
      for (const t of r) if (t.state !== 'pass') lines.push(`    ${t.state}: ${t.test}`);
    }
  }
  return lines.join('\n');
}
