// bench/schedule: how late scheduled posts go out. 1,000 posts due at one instant (the burst) and
// 200 spread evenly over a minute, on the embedded default with FakePlatform (no latency), all in
// one process. Lateness = when the platform was called minus when the post was due.
// With --scaled: MongoDB (DocumentDB) and RabbitMQ from scripts/test-services.sh, posts due after a
// longer lead (creating them takes longer there). Every delivery must be published exactly once
// (counted per delivery at the FakePlatform) and none fail, or the run prints no figure.
//   npx tsx bench/schedule.ts [--spread-seconds 60] [--scaled [--lead-seconds 120]]
import { parseArgs } from 'node:util';
import { FakePlatform } from '../test/fakes/fake-platform.js';
import { startHayon } from '../test/harness.js';
import { assertAllOk, countPublishes } from './lib/check.js';
import { scaledOverrides } from './lib/scaled.js';
import { percentile, table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    'spread-seconds': { type: 'string', default: '60' },
    burst: { type: 'string', default: '1000' },
    spread: { type: 'string', default: '200' },
    scaled: { type: 'boolean', default: false },
    'lead-seconds': { type: 'string' },
  },
});
const leadMs = Number(values['lead-seconds'] ?? (values.scaled ? 120 : 5)) * 1000;
const spreadMs = Number(values['spread-seconds']) * 1000;
const burstCount = Number(values.burst);
const spreadCount = Number(values.spread);

const platform = new FakePlatform('bluesky', { maxLength: 300 });
const published = countPublishes(platform);
const h = await startHayon({
  platforms: { bluesky: platform },
  env: { logLevel: 'warn' },
  ...(values.scaled ? scaledOverrides('schedule') : {}),
});
await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'bench.test', appPassword: 'pw' });

const create = async (text: string, at: number) => {
  const out = await h.ctx.posts.create(
    { text, targets: ['bluesky'], when: new Date(at).toISOString() },
    { workspaceId: h.workspaceId, origin: { kind: 'api' } },
  );
  return out.value.deliveries[0]!.id;
};

const t0 = Date.now();
const burstAt = t0 + leadMs;
const burst = new Map<string, number>();
for (let i = 0; i < burstCount; i++) burst.set(await create(`burst ${i}`, burstAt), burstAt);
const spread = new Map<string, number>();
for (let i = 0; i < spreadCount; i++) {
  const at = burstAt + 2_000 + Math.round((i * spreadMs) / spreadCount);
  spread.set(await create(`spread ${i}`, at), at);
}
const created = Date.now() - t0;
if (Date.now() > burstAt) console.warn(`creating took longer than the lead (${leadMs} ms): raise --lead-seconds`);
const lastDue = Math.max(...spread.values(), burstAt);
while (Date.now() < lastDue + 500 || platform.posts.size < burstCount + spreadCount) {
  await new Promise((r) => setTimeout(r, 100));
  if (Date.now() > lastDue + 300_000) break;
}
const counts = await h.ctx.store.countDeliveries();
assertAllOk('bench/schedule', {
  expected: [...burst.keys(), ...spread.keys()],
  published,
  failed: { 'deliveries failed': counts.failed ?? 0 },
});
const lateness = (set: Map<string, number>) =>
  [...set].map(([id, due]) => (platform.posts.get(id)?.at ?? Number.POSITIVE_INFINITY) - due);
const row = (name: string, set: Map<string, number>) => {
  const l = lateness(set);
  return {
    set: name,
    posts: set.size,
    published: l.filter(Number.isFinite).length,
    'p50 late': `${percentile(l, 50).toFixed(1)} ms`,
    'p99 late': `${percentile(l, 99).toFixed(1)} ms`,
    'max late': `${percentile(l, 100).toFixed(1)} ms`,
  };
};
console.log(
  `\nbench/schedule${values.scaled ? ' --scaled (DocumentDB + RabbitMQ)' : ''}: ${burstCount} due at one instant, ${spreadCount} over ${spreadMs / 1000} s (created in ${created} ms)`,
);
console.log(table([row('burst', burst), row('spread', spread)]));
console.log('goal: spread p99 <= 100 ms; the burst all started within 1 s (max late)');
console.log('each delivery published exactly once, none failed');
await h.stop();
