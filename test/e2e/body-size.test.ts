// The API's body cap over a real socket, as clients send bodies: with a Content-Length (judged
// before a byte is read) and chunked, without one (counted as it streams in).
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxJsonBodyBytes } from '../../src/http/limits.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';

interface Answer {
  status: number;
  body: { id?: string; error?: { code: string; field?: string; message: string } };
}

/** POSTs `body` to /v1/posts, with its length stated or chunked in pieces of 16 KiB. */
function post(h: TestHayon & { port?: number }, body: string, framing: 'length' | 'chunked'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body);
    const req = httpRequest({
      host: '127.0.0.1',
      port: h.port,
      method: 'POST',
      path: '/v1/posts',
      headers: {
        authorization: `Bearer ${h.token}`,
        'content-type': 'application/json',
        ...(framing === 'length' ? { 'content-length': String(bytes.length) } : { 'transfer-encoding': 'chunked' }),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    // A server that answers 413 early may close before the whole body is written.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e),
    );
    for (let at = 0; at < bytes.length; at += 16 * 1024) req.write(bytes.subarray(at, at + 16 * 1024));
    req.end();
  });
}

const postOf = (text: string) => JSON.stringify({ text, targets: ['bluesky'] });

describe('the API body cap, over a socket', () => {
  let h: TestHayon & { port?: number };
  beforeAll(async () => {
    h = await startHayon({ listen: true, worker: false, platforms: { bluesky: new FakePlatform('bluesky') } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterAll(() => h.stop());

  const overCap = postOf('x'.repeat(maxJsonBodyBytes));
  const underCap = postOf('fits');

  it.each(['length', 'chunked'] as const)('refuses a body over the cap with a 413 about body (%s)', async (framing) => {
    const answer = await post(h, overCap, framing);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: 'payload_too_large', field: 'body' });
    expect(answer.body.error?.message).toContain(`${maxJsonBodyBytes / 1024} KiB`);
  });

  it.each(['length', 'chunked'] as const)('takes a body under the cap (%s)', async (framing) => {
    const answer = await post(h, underCap, framing);
    expect(answer.status).toBe(202);
    const stored = await h.ctx.store.getPost(answer.body.id!);
    expect(stored?.post.content.text).toBe('fits');
  });

  it('stores nothing of a body it refused', async () => {
    const before = (await h.ctx.store.listPosts(h.workspaceId, { limit: 100 })).length;
    await post(h, overCap, 'length');
    await post(h, overCap, 'chunked');
    expect(await h.ctx.store.listPosts(h.workspaceId, { limit: 100 })).toHaveLength(before);
  });
});
