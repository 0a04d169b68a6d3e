// The four workloads of bench/compare, each run on a fresh system. Lateness is when the fake
// platform saw a job's first publish call minus when the job was due, on one clock (the
// machine's: the fake platform runs in a process of its own beside the bench's).
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../lib/stats.js';
import type { Arrival, FakePlatformServer } from './fake-platform-server.js';
import type { System } from './systems/system.js';

export type WorkloadId = 'a' | 'b' | 'c' | 'd';

export interface WorkloadSizes {
  /** (a): posts spread evenly over `spreadMs`. */
  spreadCount: number;
  spreadMs: number;
  /** (b): posts due at one instant. */
  burstCount: number;
  /** (c): posts due now, queued before the workers start. */
  backlogCount: number;
  /** (d): the same as (c) against a platform that answers at once (each system's own ceiling). */
  ceilingCount: number;
}

export const fullSizes = {
  spreadCount: 200,
  spreadMs: 60_000,
  burstCount: 1_000,
  backlogCount: 1_000,
  ceilingCount: 3_000,
} as const satisfies WorkloadSizes;

export const quickSizes = {
  spreadCount: 200,
  spreadMs: 15_000,
  burstCount: 300,
  backlogCount: 400,
  ceilingCount: 1_000,
} as const satisfies WorkloadSizes;

export interface WorkloadResult {
  /** Figures by column name (ms, or deliveries/s); Infinity when some jobs never started. */
  figures: Record<string, number>;
  /** Cells that need words (a figure over the jobs that did start in the window). */
  cells?: Record<string, string>;
  /** Jobs not published within the window, and jobs published more than once. */
  missing: number;
  doubled: number;
  /** Something that makes the figures less than clean (creation overran the lead). */
  note?: string;
}

/** How long each workload waits for the last job, after its last due time (or, for (c), the start). */
export const windowMs = 60_000;

/** (d) waits longer: it has three times (c)'s jobs, and the slowest system may take a minute for (c). */
export const ceilingWindowMs = 180_000;

/** Which fake platform each workload publishes to: (d) to one that answers at once (0 ms). */
export const instantWorkloads: readonly WorkloadId[] = ['d'];

/** Several API clients at once create the jobs, the same number for every system. */
const createClients = 8;

interface Created {
  keys: string[];
  /** When each create call returned. */
  createdAt: number[];
}

/** Creates one job per entry of `due` (ms since the epoch, or null for now), in that order. */
async function createAll(system: System, due: (number | null)[]): Promise<Created> {
  const keys: string[] = new Array(due.length);
  const createdAt: number[] = new Array(due.length);
  let next = 0;
  const client = async () => {
    while (next < due.length) {
      const i = next++;
      keys[i] = await system.create(due[i]!);
      createdAt[i] = Date.now();
    }
  };
  await Promise.all(Array.from({ length: createClients }, client));
  return { keys, createdAt };
}

/**
 * Waits until every key has had its first publish answered, or the deadline; then what the
 * platform saw of them.
 */
async function waitPublished(
  server: FakePlatformServer,
  keys: string[],
  deadline: number,
): Promise<Map<string, Arrival>> {
  await server.waitPublished(keys, deadline);
  // A second call for the same job would come right after the first; give it a moment to show.
  await sleep(1_000);
  return server.arrivals(keys);
}

function checkOnce(seen: Map<string, Arrival>, keys: string[]): Pick<WorkloadResult, 'missing' | 'doubled'> {
  let missing = 0;
  let doubled = 0;
  for (const key of keys) {
    const arrival = seen.get(key);
    if (!arrival) missing++;
    else if (arrival.calls > 1) doubled++;
  }
  return { missing, doubled };
}

/**
 * Warms the system up (connections, JIT) with 40 jobs due now, and returns how long creating
 * one job took, so that the lead before a due instant fits the creation of a whole workload,
 * and its keys (checked for exactly once with the workload's).
 */
async function warmUp(system: System, server: FakePlatformServer): Promise<{ perJob: number; keys: string[] }> {
  const t0 = Date.now();
  const { keys } = await createAll(system, new Array(40).fill(null));
  const perJob = (Date.now() - t0) / keys.length;
  await server.waitPublished(keys, Date.now() + windowMs);
  return { perJob, keys };
}

/**
 * Time to create `count` jobs, with room to spare: creating slows down as a store fills (hayon's
 * MongoStore on FerretDB 1.24 took about three times as long per post at 1,000 posts as at 100).
 */
const leadFor = (perJobMs: number, count: number) => Math.round(3_000 + 2 * perJobMs * count);

/**
 * Lateness of each job: its first publish call minus when it was due, or minus when it was
 * created if that was later (a lead too short is the bench's fault, not the system's; `overran`
 * says when it happened).
 */
function lateness(seen: Map<string, Arrival>, created: Created, due: number[]): number[] {
  return created.keys.map(
    (k, i) => (seen.get(k)?.startedAt ?? Number.POSITIVE_INFINITY) - Math.max(due[i]!, created.createdAt[i]!),
  );
}

function overran(created: Created, firstDue: number): string | undefined {
  const last = Math.max(...created.createdAt);
  return last > firstDue ? `creating took ${last - firstDue} ms past the first due time` : undefined;
}

const started = (seen: Map<string, Arrival>, keys: string[]) => keys.filter((k) => seen.has(k)).length;

/** (a) `spreadCount` posts due evenly over `spreadMs`, all created up front: lateness. */
export async function spread(system: System, server: FakePlatformServer, sizes: WorkloadSizes) {
  await system.startWorkers();
  const warm = await warmUp(system, server);
  const t0 = Date.now() + leadFor(warm.perJob, sizes.spreadCount);
  const due = Array.from({ length: sizes.spreadCount }, (_, i) =>
    Math.round(t0 + (i * sizes.spreadMs) / sizes.spreadCount),
  );
  const created = await createAll(system, due);
  const seen = await waitPublished(server, [...warm.keys, ...created.keys], due.at(-1)! + windowMs);
  const late = lateness(seen, created, due);
  const note = overran(created, t0);
  return {
    figures: { 'a p50': percentile(late, 50), 'a p99': percentile(late, 99), 'a max': percentile(late, 100) },
    ...checkOnce(seen, [...warm.keys, ...created.keys]),
    ...(note ? { note: `(a) ${note}` } : {}),
  } satisfies WorkloadResult;
}

/** (b) `burstCount` posts due at one instant, created before it: until all started, p99 lateness. */
export async function burst(system: System, server: FakePlatformServer, sizes: WorkloadSizes) {
  await system.startWorkers();
  const warm = await warmUp(system, server);
  const at = Date.now() + leadFor(warm.perJob, sizes.burstCount);
  const due = new Array<number>(sizes.burstCount).fill(at);
  const created = await createAll(system, due);
  const seen = await waitPublished(
    server,
    [...warm.keys, ...created.keys],
    Math.max(at, ...created.createdAt) + windowMs,
  );
  const late = lateness(seen, created, due);
  const count = started(seen, created.keys);
  const note = overran(created, at);
  return {
    figures: { 'b all started': percentile(late, 100), 'b p99': percentile(late, 99) },
    ...(count < created.keys.length
      ? { cells: { 'b all started': `> ${windowMs / 1000} s (${count} of ${created.keys.length})` } }
      : {}),
    ...checkOnce(seen, [...warm.keys, ...created.keys]),
    ...(note ? { note: `(b) ${note}` } : {}),
  } satisfies WorkloadResult;
}

/**
 * `count` posts due now, created while no worker runs; then the workers start. Deliveries per
 * second from the first publish call to the last answer, over the jobs that started within `window`.
 */
async function backlogOf(system: System, server: FakePlatformServer, count: number, column: string, window: number) {
  const { keys } = await createAll(system, new Array(count).fill(null));
  await system.startWorkers();
  const seen = await waitPublished(server, keys, Date.now() + window);
  const arrivals = [...seen.values()];
  const first = Math.min(...arrivals.map((a) => a.startedAt));
  const last = Math.max(...arrivals.map((a) => a.finishedAt ?? a.startedAt));
  const rate = arrivals.length === 0 ? 0 : (arrivals.length * 1000) / Math.max(1, last - first);
  return {
    figures: { [column]: rate },
    ...(arrivals.length < keys.length
      ? { cells: { [column]: `${rate.toFixed(0)} (${arrivals.length} of ${keys.length} in ${window / 1000} s)` } }
      : {}),
    ...checkOnce(seen, keys),
  } satisfies WorkloadResult;
}

/** (c) `backlogCount` posts due now, queued before the workers start: deliveries/s. */
export const backlog = (system: System, server: FakePlatformServer, sizes: WorkloadSizes) =>
  backlogOf(system, server, sizes.backlogCount, 'c deliveries/s', windowMs);

/**
 * (d) the ceiling: (c) with `ceilingCount` posts against a fake platform that answers at once, so
 * that the platform is not the bound: how many deliveries a second the system itself moves.
 */
export const ceiling = (system: System, server: FakePlatformServer, sizes: WorkloadSizes) =>
  backlogOf(system, server, sizes.ceilingCount, 'd deliveries/s', ceilingWindowMs);

export const workloads = { a: spread, b: burst, c: backlog, d: ceiling } as const satisfies Record<
  WorkloadId,
  (system: System, server: FakePlatformServer, sizes: WorkloadSizes) => Promise<WorkloadResult>
>;
