// bench/hooks: signed GitHub `release` events (GitHub's documented payload, ~7 KB, each with
// its own X-GitHub-Delivery) from 32 concurrent clients to `POST /v1/hooks/{id}` of `hayon serve`
// (SQLite, in-process worker, FakePlatform answering in 100 ms), each post with a callback URL.
// Prints events/s, p50 and p99 of the answer, then how long until every post's `post.finished`
// callback had reached the receiver. Any answer but 202, a post not published exactly once or a
// summary that did not arrive fails the run with no figure. The hook rate limit and pacing are
// lifted (the output says so).
//   npx tsx bench/hooks.ts [--seconds 10] [--clients 32]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { signGithub } from '../src/core/hooks/signature.js';
import { assertAllOk, liftedLimit } from './lib/check.js';
import { runLoad } from './lib/load.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, clients: { type: 'string', default: '32' } },
});
const durationMs = Number(values.seconds) * 1000;
const clients = Number(values.clients);
const release = JSON.parse(readFileSync('test/fixtures/hooks/github-release-published.json', 'utf8'));

const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/hooks-server.ts'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout });
const next = async () => JSON.parse(((await once(lines, 'line')) as [string])[0]);
const server = (await next()) as { port: number; hookId: string; secret: string };

let n = 0;
const result = await runLoad({
  url: `http://127.0.0.1:${server.port}/v1/hooks/${server.hookId}`,
  clients,
  durationMs,
  warmupMs: 2_000,
  expectStatus: 202,
  init: () => {
    n++;
    const body = JSON.stringify({ ...release, release: { ...release.release, tag_name: `v1.0.${n}`, id: n } });
    return {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'release',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': signGithub(server.secret, body),
      },
      body,
    };
  },
});
const accepted = result.statuses['202'] ?? 0;
const loadEnded = performance.now();
let progress = { finished: 0, received: 0, published: 0, twice: 0, failed: 0 };
// Every event accepted (warm-up included) made a post; wait until each one's summary arrived.
while (progress.finished < accepted && performance.now() - loadEnded < 120_000) {
  await new Promise((r) => setTimeout(r, 200));
  child.stdin.write('?\n');
  progress = await next();
}
const settledMs = performance.now() - loadEnded;
child.kill('SIGTERM');
await once(child, 'exit');
assertAllOk('bench/hooks', {
  statuses: result.statuses,
  expectedStatuses: [202],
  failed: { 'deliveries failed': progress.failed, 'posts published more than once': progress.twice },
  problems: [
    ...(progress.published !== accepted
      ? [`${accepted} events accepted but ${progress.published} posts published`]
      : []),
    ...(progress.finished !== accepted
      ? [`${accepted} events accepted but ${progress.finished} post.finished callbacks`]
      : []),
  ],
});
liftedLimit('the per-hook rate limit and pacing', 'HAYON_HOOK_RATE_LIMIT=1000000, HAYON_PACING=false');

console.log(`\nbench/hooks: ${clients} clients, ${durationMs / 1000} s measured after 2 s warm-up`);
console.log(
  table([
    {
      'events/s': result.perSecond.toFixed(0),
      p50: `${result.p50.toFixed(2)} ms`,
      p99: `${result.p99.toFixed(2)} ms`,
      max: `${result.max.toFixed(1)} ms`,
      'posts (incl. warm-up)': accepted,
      'post.finished received': progress.finished,
      'callbacks received': progress.received,
      'last summary after load': `${(settledMs / 1000).toFixed(1)} s`,
    },
  ]),
);
