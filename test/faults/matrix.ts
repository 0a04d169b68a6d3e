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
    ingest: '503 store_unavailable + Retry-After (ephemeral in chat), nothing half-written',
    schedule: 'the pass fails and is logged; the next pass (≤ 1 s) sends the due posts: late, none lost',
    publish: 'claim fails: the message is given back, the lease is the fallback; retried, published once',
    notify: 'the outcome and its reply are one write: both wait until the store takes it',
  },
  'SQLite disk full': {
    ingest: '503 store_unavailable naming the full disk, nothing half-written',
    schedule: 'as locked: reads go on, the move to queued waits for space',
    publish: 'as locked: the outcome cannot be written, the lease lapses, reconciled, published once',
    notify: 'as locked',
  },
  'MongoDB down': {
    ingest: '503 store_unavailable + Retry-After within seconds, nothing half-written',
    schedule: 'passes fail and are logged; due posts go out when it is back, each once',
    publish: 'claims fail, messages given back; attempts in flight reconciled after their lease',
    notify: 'replies are written with the outcome: kept until it is back',
  },
  'RabbitMQ down': {
    ingest: '202 at once: the post is stored, sent when the broker is back (patient send, then the sweeper)',
    schedule: 'due posts move to queued; the send is retried for 30 s, then the sweeper sends them',
    publish: 'unacked messages return to the queue; the claim drops what was already published',
  },
  'S3 down': {
    ingest: '503 store_unavailable + Retry-After, the message naming the media store (S3); nothing kept',
    publish: 'transient: retried with backoff, published once when S3 is back',
  },
  'platform down': {
    publish: 'transient: retried with backoff; reconciled by its key, published once when back',
  },
  'platform hanging': {
    publish: 'the attempt deadline ends it as transient; retried, published once (no double)',
  },
  'Slack API down': {
    notify: 'replies wait in the chat outbox (24 h backoff, in order per thread); each arrives once',
  },
  'Discord API down': {
    notify: 'replies wait in the chat outbox (24 h backoff, in order per thread); each arrives once',
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
