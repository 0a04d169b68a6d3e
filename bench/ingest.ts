// bench/ingest: POST /v1/posts with 3 targets from 32 concurrent clients against `hayon serve`
// (SQLite, in-process worker, FakePlatform answering in 100 ms), and the same load against a bare
// Hono JSON endpoint in the same run. Prints posts/s, p50 and p99.
//   npx tsx bench/ingest.ts [--seconds 10] [--clients 32]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type LoadResult, runLoad } from './lib/load.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '32' },
    scaled: { type: 'boolean', default: false },
  },
});
const durationMs = Number(values.seconds) * 1000;
const clients = Number(values.clients);

async function startServer(kind: 'hayon' | 'bare'): Promise<{ child: ChildProcess; port: number; token?: string }> {
  const args = ['--import', 'tsx', 'bench/lib/ingest-server.ts', kind, ...(values.scaled ? ['scaled'] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { child, ...JSON.parse(line) };
}

async function measure(kind: 'hayon' | 'bare'): Promise<LoadResult> {
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
        targets: ['bluesky', 'mastodon', 'tumblr'],
        when: 'in 10 minutes',
        timezone: 'Europe/Berlin',
      }),
    }),
  });
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
  return result;
}

const hayon = await measure('hayon');
const bare = await measure('bare');
const row = (name: string, r: LoadResult) => ({
  server: name,
  'posts/s': r.perSecond.toFixed(0),
  p50: `${r.p50.toFixed(2)} ms`,
  p99: `${r.p99.toFixed(2)} ms`,
  max: `${r.max.toFixed(1)} ms`,
  requests: r.requests,
  errors: r.errors,
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
console.log('goal: hayon p99 <= 20 ms and >= 2,000 posts/s on 2 cores');
