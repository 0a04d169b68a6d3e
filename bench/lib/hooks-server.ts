// A server for bench/hooks.ts, in its own process: the real roles on a temp-dir SQLite with a
// FakePlatform (100 ms a call), one GitHub hook whose callbacks go to a local receiver, which
// counts the `post.finished` events it gets.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakePlatform } from '../../test/fakes/fake-platform.js';
import { startHayon } from '../../test/harness.js';

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
const h = await startHayon({
  platforms,
  listen: true,
  env: { logLevel: 'warn', fetchAllowHosts: receiverHost, hookRateLimit: '1000000' },
});
await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: 'bench.mastodon', appPassword: 'pw' });
const { hook, secret } = await h.ctx.hooks.create(h.workspaceId, {
  source: 'github',
  targets: ['mastodon'],
  callbackUrl: `http://${receiverHost}/callback`,
});
process.stdout.write(`${JSON.stringify({ port: h.port, hookId: hook.id, secret })}\n`);
// Each line on stdin asks how far the callbacks are.
process.stdin.on('data', () => process.stdout.write(`${JSON.stringify({ finished, received })}\n`));
process.on('SIGTERM', async () => {
  await h.stop();
  receiver.close();
  process.exit(0);
});
