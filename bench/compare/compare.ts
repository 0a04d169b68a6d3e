// bench/compare: hayon (embedded and scaled) side by side with BullMQ delayed jobs and Agenda,
// all publishing to one local fake platform that answers in 100 ms, at equal concurrency:
// (a) 200 posts spread over 60 s: lateness p50/p99/max; (b) 1,000 posts due at one instant: time
// until all started, p99 lateness; (c) 1,000 posts due now, queued before the workers start:
// deliveries/s; (d) the ceiling: (c) with 3,000 posts against a second fake platform that answers
// at once (0 ms), deliveries/s and each system's ratio to BullMQ's. (a) to (c) wait at most 60 s
// for their last job, (d) 180 s. Every run checks that each job was published exactly once
// (calls per key at the fake platform); a job published twice or not at all, or a workload that
// failed, makes the bench exit 1 with what went wrong and no table.
// Each system is fresh for each workload. Prints one table and writes it to
// .tmp/bench-compare.json. Needs scripts/test-services.sh and bench/compare/setup.sh
// (bench/compare/run.sh runs both, then this).
//   npx tsx bench/compare/compare.ts [--quick] [--only a,b,c,d] [--systems hayon-embedded,bullmq,...]
//     [--concurrency 16] [--latency-ms 100] [--scaled-workers 2] [--hayon-pacing on|off]
//     [--agenda-every-ms 1000] [--agenda-lock-limit 0]   (the agenda-tuned row, only with --systems)
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { assertAllOk } from '../lib/check.js';
import { fmt, table } from '../lib/stats.js';
import { startFakePlatformServer } from './fake-platform-server.js';
import { agenda, agendaDefaults } from './systems/agenda.js';
import { bullmq } from './systems/bullmq.js';
import { hayonEmbedded, hayonScaled } from './systems/hayon.js';
import type { SystemOptions, SystemSpec } from './systems/system.js';
import {
  fullSizes,
  instantWorkloads,
  quickSizes,
  type WorkloadId,
  type WorkloadResult,
  windowMs,
  workloads,
} from './workloads.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'a,b,c,d' },
    systems: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    'latency-ms': { type: 'string', default: '100' },
    'agenda-every-ms': { type: 'string', default: '1000' },
    'agenda-lock-limit': { type: 'string', default: '0' },
    'scaled-workers': { type: 'string', default: '2' },
    'hayon-pacing': { type: 'string', default: 'on' },
  },
});
const sizes = values.quick ? quickSizes : fullSizes;
const only = values.only.split(',').filter((w): w is WorkloadId => w in workloads);
const pacing = values['hayon-pacing'] !== 'off';
const specs: SystemSpec[] = [
  hayonEmbedded(pacing),
  hayonScaled(pacing, Number(values['scaled-workers'])),
  bullmq,
  agenda('agenda', agendaDefaults),
  agenda('agenda-tuned', {
    processEveryMs: Number(values['agenda-every-ms']),
    unsorted: true,
    lockLimit: Number(values['agenda-lock-limit']),
  }),
];
// agenda-tuned only when asked for: its overlapping lock scans once opened enough FerretDB operations to
// run PostgreSQL out of connections ("too many clients") on a machine that others share.
const chosen = values.systems
  ? values.systems.split(',')
  : specs.map((s) => s.name).filter((n) => n !== 'agenda-tuned');
const unknown = chosen.filter((name) => !specs.some((s) => s.name === name));
if (unknown.length > 0) throw new Error(`unknown systems ${unknown} (known: ${specs.map((s) => s.name)})`);

const latencyMs = Number(values['latency-ms']);
const server = await startFakePlatformServer({ latencyMs });
/** The platform of the ceiling workload (d): it answers at once. */
const instant = await startFakePlatformServer({ latencyMs: 0 });
const options: SystemOptions = { platformUrl: server.url, concurrency: Number(values.concurrency) };
const serverFor = (id: WorkloadId) => (instantWorkloads.includes(id) ? instant : server);

interface Row {
  system: string;
  figures: Record<string, number>;
  cells: Record<string, string>;
  /** Over all workloads: jobs published more than once, and jobs not published within the window. */
  doubled: number;
  missing: number;
  problems: string[];
  notes: string[];
}

async function runOne(spec: SystemSpec, id: WorkloadId): Promise<WorkloadResult> {
  const platform = serverFor(id);
  const system = await spec.start({ ...options, platformUrl: platform.url });
  try {
    return await workloads[id](system, platform, sizes);
  } finally {
    await system.stop();
  }
}

const startedAt = Date.now();
const rows: Row[] = [];
for (const spec of specs.filter((s) => chosen.includes(s.name))) {
  const row: Row = { system: spec.name, figures: {}, cells: {}, doubled: 0, missing: 0, problems: [], notes: [] };
  for (const id of only) {
    const t0 = Date.now();
    try {
      const result = await runOne(spec, id);
      Object.assign(row.figures, result.figures);
      Object.assign(row.cells, result.cells);
      row.doubled += result.doubled;
      row.missing += result.missing;
      if (result.missing) row.problems.push(`(${id}) ${result.missing} not published in the window`);
      if (result.doubled) row.problems.push(`(${id}) ${result.doubled} published twice`);
      if (result.note) row.notes.push(result.note);
    } catch (err) {
      row.problems.push(`(${id}) failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    console.error(`[compare] ${spec.name} (${id}) done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  rows.push(row);
}
await server.close();
await instant.close();

const columns: [string, (n: number) => string][] = [
  ['a p50', fmt],
  ['a p99', fmt],
  ['a max', fmt],
  ['b all started', fmt],
  ['b p99', fmt],
  ['c deliveries/s', (n) => n.toFixed(0)],
  ['d deliveries/s', (n) => n.toFixed(0)],
];
const bullmqCeiling = rows.find((r) => r.system === 'bullmq')?.figures['d deliveries/s'];
const printed = rows.map((r) => ({
  system: r.system,
  ...Object.fromEntries(
    columns
      .filter(([c]) => only.includes(c[0] as WorkloadId))
      .map(([c, show]) => [c, r.cells[c] ?? (Number.isFinite(r.figures[c]) ? show(r.figures[c]!) : '-')]),
  ),
  ...(only.includes('d') && bullmqCeiling
    ? { 'd of bullmq': `${((r.figures['d deliveries/s'] ?? 0) / bullmqCeiling).toFixed(2)}×` }
    : {}),
  'twice / missing': `${r.doubled} / ${r.missing}`,
}));

// No table over work that was not all done exactly once (STYLE.md, "Benches").
assertAllOk('bench/compare', { problems: rows.flatMap((r) => r.problems.map((p) => `${r.system}: ${p}`)) });

const ideal = (options.concurrency * 1000) / latencyMs;
console.log(
  `\nbench/compare${values.quick ? ' --quick' : ''}: fake platform ${latencyMs} ms per call, concurrency ${options.concurrency} everywhere` +
    ` (ideal ${ideal.toFixed(0)} deliveries/s); (a) ${sizes.spreadCount} over ${sizes.spreadMs / 1000} s,` +
    ` (b) ${sizes.burstCount} due at one instant, (c) ${sizes.backlogCount} due now, queued before the workers start;` +
    ` (d) ${sizes.ceilingCount} as (c) against a platform answering at once (0 ms);` +
    ` (a)-(c) wait at most ${windowMs / 1000} s;` +
    ` ran ${((Date.now() - startedAt) / 60_000).toFixed(1)} min`,
);
console.log(table(printed));
for (const spec of specs.filter((s) => chosen.includes(s.name)))
  console.log(`  ${spec.name}: ${spec.describe(options)}`);
for (const r of rows) for (const p of r.notes) console.log(`  ${r.system}: ${p}`);
console.log('  every job published exactly once (calls per key at the fake platform)');

await mkdir('.tmp', { recursive: true });
await writeFile(
  '.tmp/bench-compare.json',
  `${JSON.stringify({ at: new Date().toISOString(), latencyMs, concurrency: options.concurrency, sizes, rows }, null, 2)}\n`,
);
// Agenda leaves a watchdog timer per job it ran (lockLifetime / 2, five minutes by default)
// pending after the job finished, which would hold this process open that long.
process.exit(0);
