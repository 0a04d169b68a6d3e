import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { S3MediaStore } from '../../src/media/s3/s3-media-store.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { solidPng } from '../fakes/images.js';
import { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { type Answer, startHayon, type TestHayon, waitFor } from '../harness.js';
import { recordCell } from './matrix.js';

// The fault matrix, S3 column: a real S3 server (s3rver) behind a TCP proxy that refuses hayon's
// connections while it is away. At ingest: a 503 naming the media store, with Retry-After, nothing
// kept, and the same request once it is back is one post. At publish: transient attempts, then
// published once with its image. (The media store is not used at schedule or notify.)
describe('S3 away', () => {
  let server: S3rver;
  let dir: string;
  let proxy: TcpFaultProxy;
  let endpoint: string;
  let h: TestHayon | undefined;
  let bluesky: FakePlatform;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hayon-s3-away-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
    const { port } = await server.run();
    await fetch(`http://127.0.0.1:${port}/hayon-media`, { method: 'PUT' });
    proxy = new TcpFaultProxy('127.0.0.1', port);
    endpoint = `http://127.0.0.1:${await proxy.start()}`;
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await proxy.restore();
    await h?.stop();
    h = undefined;
  });

  async function start() {
    const mediaStore = new S3MediaStore({
      bucket: 'hayon-media',
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    bluesky = new FakePlatform('bluesky', { imageLimits: { maxBytes: 1_000_000 } });
    const retry = { maxAttempts: 20, baseDelayMs: 200, maxDelayMs: 400, jitter: 0 };
    h = await startHayon({ mediaStore, platforms: { bluesky }, retry });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    return h;
  }

  /** An image uploaded by its presigned URL while S3 is up; its upload id. */
  async function upload(h: TestHayon): Promise<string> {
    const png = await solidPng(32, 32);
    const { id, upload } = await (await h.api('POST', '/v1/uploads', { type: 'image/png', size: png.length })).json();
    expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: png })).status).toBe(200);
    return id;
  }
  const view = async (id: string): Promise<Answer> => (await (h as TestHayon).api('GET', `/v1/posts/${id}`)).json();

  it('S3 down · ingest: 503 naming the media store with Retry-After, nothing kept; back → the same request is one post', async () => {
    recordCell('S3 down', 'ingest');
    const h = await start();
    const id = await upload(h);
    await proxy.cut();
    const body = { text: 'with a picture', media: [{ id, alt: 'A square' }], targets: ['bluesky'] };
    const headers = { 'idempotency-key': 's3-away-1' };
    const asked = Date.now();
    const refused = await h.api('POST', '/v1/posts', body, headers);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await refused.json()).error).toEqual({
      code: 'store_unavailable',
      message:
        'hayon cannot store attachments right now: the media store (S3) is not answering. Try again in a minute.',
    });
    expect(Object.values(await h.ctx.store.countDeliveries()).every((n) => n === 0)).toBe(true);

    await proxy.restore();
    const res = await h.api('POST', '/v1/posts', body, headers);
    expect(res.status).toBe(202);
    const created = await res.json();
    await waitFor(async () => (await view(created.id)).status === 'COMPLETED', 20_000);
    expect(bluesky.posts.size).toBe(1);
    expect(bluesky.media.get(created.deliveries[0].id)?.[0]?.mimeType).toBe('image/png');
  }, 60_000);

  it('S3 down · publish: the image cannot be read when due → transient retries; back → published once with it', async () => {
    recordCell('S3 down', 'publish');
    const h = await start();
    const id = await upload(h);
    const when = new Date(Date.now() + 1_500).toISOString();
    const body = { text: 'later, with a picture', media: [{ id, alt: 'A square' }], targets: ['bluesky'], when };
    const res = await h.api('POST', '/v1/posts', { ...body, timezone: 'UTC' });
    expect(res.status).toBe(202);
    const created = await res.json();
    await proxy.cut();
    await waitFor(async () => (await view(created.id)).deliveries[0].attempts >= 2, 20_000);
    const waiting = (await view(created.id)).deliveries[0];
    expect(waiting.state).not.toBe('failed');
    expect(waiting.error).toEqual({ kind: 'transient', message: 'The media store could not be read.' });
    expect(bluesky.posts.size).toBe(0);

    await proxy.restore();
    await waitFor(async () => (await view(created.id)).status === 'COMPLETED', 20_000);
    expect(bluesky.posts.size).toBe(1);
    expect(bluesky.media.get(created.deliveries[0].id)?.[0]?.mimeType).toBe('image/png');
  }, 60_000);
});
