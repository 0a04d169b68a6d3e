// A server for bench/ingest.ts, in its own process so that the load generator does not share its
// event loop. `hayon`: the real roles on a temp-dir SQLite with three FakePlatform accounts.
// `bare`: a Hono app with one JSON endpoint, the floor to compare against.
// The per-token rate limit (600 a minute by default) is lifted: 32 clients on one token are the
// load here, not an abuse to refuse. On SIGTERM it prints the deliveries it holds, by state, and
// (both kinds) the CPU time it used since it was ready.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { FakePlatform } from '../../test/fakes/fake-platform.js';
import { scaledOverrides } from './scaled.js';
import { startHayon } from '../../test/harness.js';

const kind = process.argv[2];
/** Its CPU time from when it is ready (what load on the machine changes least): printed when stopped. */
let ready = process.cpuUsage();
const cpuMs = () => {
  const used = process.cpuUsage(ready);
  return (used.user + used.system) / 1000;
};
/** HAYON_RATE_LIMIT_PER_TOKEN, as bench/ingest.ts gives it (it says so in its output). */
const rateLimitPerToken = process.argv[3] ?? '600';

/** With `scaled` as the third argument: DocumentDB and RabbitMQ from scripts/test-services.sh. */
const scaled = () => (process.argv[4] === 'scaled' ? scaledOverrides('ingest') : {});
if (kind === 'bare') {
  const app = new Hono();
  app.post('/v1/posts', async (c) => c.json({ id: 'x', received: await c.req.json() }, 202));
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    ready = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
  });
  process.on('SIGTERM', () => {
    process.stdout.write(`${JSON.stringify({ cpuMs: cpuMs() })}\n`);
    process.exit(0);
  });
} else {
  const platforms = {
    bluesky: new FakePlatform('bluesky', { maxLength: 300, latencyMs: 100 }),
    mastodon: new FakePlatform('mastodon', { maxLength: 500, latencyMs: 100 }),
    tumblr: new FakePlatform('tumblr', { maxLength: 4096, latencyMs: 100 }),
  };
  const h = await startHayon({
    platforms,
    listen: true,
    env: { logLevel: 'warn', rateLimitPerToken: rateLimitPerToken },
    ...scaled(),
  });
  for (const id of ['bluesky', 'mastodon', 'tumblr'] as const) {
    await h.ctx.accounts.add(h.workspaceId, id, { identifier: `bench.${id}`, appPassword: 'pw' });
  }
  ready = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ port: h.port, token: h.token })}\n`);
  process.on('SIGTERM', async () => {
    const cpu = cpuMs();
    const counts = await h.ctx.store.countDeliveries();
    process.stdout.write(`${JSON.stringify({ deliveries: counts, cpuMs: cpu })}\n`);
    await h.stop();
    process.exit(0);
  });
}
