// bench/ingest: POST /v1/posts with 3 targets from 32 concurrent clients against `hayon serve`
// (SQLite, in-process worker, FakePlatform answering in 100 ms), and the same load against a bare
// Hono JSON endpoint in the same run. Prints posts/s, p50 and p99, and hayon's as a ratio of bare
// Hono's. The per-token rate limit is lifted (and the output says so); any answer but 202, or a
// post whose 3 deliveries are not all in the store, fails the run with no figure.
//   npx tsx bench/ingest.ts [--seconds 10] [--clients 32] [--profile DIR]
// --profile writes each server's CPU profile (`node --cpu-prof`) to DIR, to see where the time goes.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { assertAllOk, liftedLimit } from './lib/check.js';
import { type LoadResult, runLoad } from './lib/load.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '32' },
    scaled: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const durationMs = Number(values.seconds) * 1000;
const clients = Number(values.clients);
/** HAYON_RATE_LIMIT_PER_TOKEN for the hayon server: its highest value. */
const rateLimitPerToken = '1000000';
const targets = ['bluesky', 'mastodon', 'tumblr'];

interface Server {
  child: ChildProcess;
  port: number;
  token?: string;
  /** The next line it prints (hayon prints its deliveries by state when stopped). */
  next(): Promise<Record<string, unknown>>;
}

async function startServer(kind: 'hayon' | 'bare'): Promise<Server> {
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const args = [...profile, '--import', 'tsx', 'bench/lib/ingest-server.ts', kind, rateLimitPerToken];
  if (values.scaled) args.push('scaled');
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const next = async () => JSON.parse(((await once(lines, 'line')) as [string])[0]) as Record<string, unknown>;
  return { child, next, ...((await next()) as { port: number; token?: string }) };
}

async function measure(kind: 'hayon' | 'bare'): Promise<LoadResult & { cpuPerRequestMs: number }> {
  const server = await startServer(kind);
  let n = 0;
  const result = await runLoad({
    url: `http://127.0.0.1:${server.port}/v1/posts`,
    clients,
    durationMs,
    warmupMs: 2_000,
    expectStatus: 202,
    init: () => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token ?? ''}` },
      body: JSON.stringify({
        text: `Release ${n++} is out: https://example.com/releases/${n} #launch`,
        targets,
        when: 'in 10 minutes',
        timezone: 'Europe/Berlin',
      }),
    }),
  });
  const held = server.next();
  server.child.kill('SIGTERM');
  const { deliveries, cpuMs } = (await held) as { deliveries?: Record<string, number>; cpuMs: number };
  await once(server.child, 'exit');
  const accepted = result.statuses['202'] ?? 0;
  const stored = Object.values(deliveries ?? {}).reduce((a, b) => a + b, 0);
  const scheduled = deliveries?.scheduled ?? 0;
  assertAllOk(`bench/ingest (${kind})`, {
    statuses: result.statuses,
    expectedStatuses: [202],
    problems:
      kind === 'hayon' && (stored !== accepted * targets.length || scheduled !== stored)
        ? [
            `${accepted} posts accepted, so ${accepted * targets.length} deliveries, but the store holds ${JSON.stringify(deliveries)}`,
          ]
        : [],
  });
  return { ...result, cpuPerRequestMs: cpuMs / Math.max(1, result.sent) };
}

const hayon = await measure('hayon');
const bare = await measure('bare');
liftedLimit('the per-token rate limit of hayon serve', `HAYON_RATE_LIMIT_PER_TOKEN=${rateLimitPerToken}`);
const row = (name: string, r: LoadResult & { cpuPerRequestMs: number }) => ({
  server: name,
  'posts/s': r.perSecond.toFixed(0),
  p50: `${r.p50.toFixed(2)} ms`,
  p99: `${r.p99.toFixed(2)} ms`,
  max: `${r.max.toFixed(1)} ms`,
  'of bare': `${((100 * r.perSecond) / bare.perSecond).toFixed(0)}%`,
  // The server's own CPU per request, warm-up included: what other load on the machine changes least.
  'CPU/request': `${(r.cpuPerRequestMs * 1000).toFixed(0)} µs`,
  // The load generator's, on the same cores.
  'client CPU/request': `${(r.clientCpuPerRequestMs * 1000).toFixed(0)} µs`,
  requests: r.requests,
  'sent (with warm-up)': r.sent,
});
console.log(
  `\nbench/ingest: ${clients} clients, ${durationMs / 1000} s measured after 2 s warm-up, 3 targets per post`,
);
console.log(
  table([
    row(values.scaled ? 'hayon serve (documentdb+rabbitmq)' : 'hayon serve (sqlite)', hayon),
    row('bare hono JSON', bare),
  ]),
);
console.log(
  `hayon / bare hono: posts/s ×${(hayon.perSecond / bare.perSecond).toFixed(2)}, p50 ×${(hayon.p50 / bare.p50).toFixed(1)}, ` +
    `p99 ×${(hayon.p99 / bare.p99).toFixed(1)}, CPU per request ×${(hayon.cpuPerRequestMs / bare.cpuPerRequestMs).toFixed(1)}`,
);
console.log('goal: hayon p99 <= 20 ms and >= 2,000 posts/s on 2 cores');
