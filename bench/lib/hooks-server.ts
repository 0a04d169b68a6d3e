// A server for bench/hooks.ts, in its own process: the real roles on a temp-dir SQLite with a
// FakePlatform (100 ms a call), one GitHub hook whose callbacks go to a local receiver, which
// counts the `post.finished` events it gets. Lifted, and bench/hooks.ts says so: the per-hook
// rate limit (HAYON_HOOK_RATE_LIMIT) and pacing (HAYON_PACING=false: Mastodon's 300 posts in 5
// minutes would hold most of the posts for later).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakePlatform } from '../../test/fakes/fake-platform.js';
import { startHayon } from '../../test/harness.js';
import { countPublishes } from './check.js';

let finished = 0;
let received = 0;
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received++;
    if (Buffer.concat(chunks).includes('"type":"post.finished"')) finished++;
    res.end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverHost = `127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const platforms = { mastodon: new FakePlatform('mastodon', { maxLength: 500, latencyMs: 100 }) };
const published = countPublishes(platforms.mastodon);
const h = await startHayon({
  platforms,
  listen: true,
  env: { logLevel: 'warn', fetchAllowHosts: receiverHost, hookRateLimit: '1000000', pacing: 'false' },
});
await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: 'bench.mastodon', appPassword: 'pw' });
const { hook, secret } = await h.ctx.hooks.create(h.workspaceId, {
  source: 'github',
  targets: ['mastodon'],
  callbackUrl: `http://${receiverHost}/callback`,
});
process.stdout.write(`${JSON.stringify({ port: h.port, hookId: hook.id, secret })}\n`);
// Each line on stdin asks how far the callbacks and the deliveries are.
process.stdin.on('data', async () => {
  const counts = await h.ctx.store.countDeliveries();
  const twice = [...published.values()].filter((n) => n > 1).length;
  const line = { finished, received, published: published.size, twice, failed: counts.failed ?? 0 };
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
process.on('SIGTERM', async () => {
  await h.stop();
  receiver.close();
  process.exit(0);
});
