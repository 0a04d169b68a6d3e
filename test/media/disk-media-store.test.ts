import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HayonError } from '../../src/core/errors.js';
import { errorBody } from '../../src/core/error-body.js';
import { mediaRoutes } from '../../src/http/routes/media.js';
import { defineMediaStoreContract, tinyJpeg, tinyPng } from './media-store.contract.js';
import { UrlSigner } from '../../src/media/url-signer.js';
import { DiskMediaStore } from '../../src/media/disk/disk-media-store.js';

const publicUrl = 'http://hayon.test';

/** A disk store behind hayon's media routes, answered in-process. */
async function diskStore(now?: () => number) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'hayon-media-'));
  const store = new DiskMediaStore({
    root,
    publicUrl,
    signer: new UrlSigner(Buffer.alloc(32, 1)),
    ...(now ? { now } : {}),
  });
  const app = new Hono();
  app.onError((err, c) => {
    const e = HayonError.from(err);
    return c.json(errorBody(e), e.status as 400);
  });
  app.route('/', mediaRoutes(store));
  const fetchImpl = ((input: string | URL | Request, init?: RequestInit) =>
    app.request(String(input), init)) as typeof fetch;
  return { store, fetch: fetchImpl, root, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

defineMediaStoreContract('disk', diskStore);

describe('disk media store: signed URLs', () => {
  let now = Date.now();
  let env: Awaited<ReturnType<typeof diskStore>>;
  beforeEach(async () => {
    now = Date.now();
    env = await diskStore(() => now);
    await env.store.init();
  });
  afterEach(() => env.cleanup());

  it('a download URL with a changed key or signature is refused with 403', async () => {
    await env.store.put('posts/ws_1/p/0.png', tinyPng, 'image/png');
    await env.store.put('posts/ws_1/p/1.png', tinyPng, 'image/png');
    const url = await env.store.downloadUrl('posts/ws_1/p/0.png', 60);
    const otherKey = await env.fetch(url.replace('/0.png', '/1.png'));
    expect(otherKey.status).toBe(403);
    expect(await otherKey.json()).toEqual({
      error: { code: 'forbidden', message: 'The URL signature is not valid.', field: 'sig' },
    });
    const noSig = await env.fetch(url.replace(/&sig=.*/, ''));
    expect(noSig.status).toBe(403);
    expect(((await noSig.json()) as { error: { field: string } }).error.field).toBe('sig');
  });

  it('a download URL stops working when it expires', async () => {
    await env.store.put('posts/ws_1/p/0.png', tinyPng, 'image/png');
    const url = await env.store.downloadUrl('posts/ws_1/p/0.png', 60);
    expect((await env.fetch(url)).status).toBe(200);
    now += 61_000;
    const res = await env.fetch(url);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('The URL has expired.');
  });

  it('an expired upload URL says how to get a new one', async () => {
    const target = await env.store.uploadTarget('temp/ws_1/u.png', 'image/png', tinyPng.length, 60);
    now += 61_000;
    const res = await env.fetch(target.url, { method: 'PUT', headers: target.headers, body: tinyPng });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'The URL has expired. Ask POST /v1/uploads for a new upload URL and use it as given.',
    );
  });

  it('an upload larger than declared is refused with 413 and stores nothing', async () => {
    const target = await env.store.uploadTarget('temp/ws_1/u.png', 'image/png', 10, 60);
    const res = await env.fetch(target.url, { method: 'PUT', headers: target.headers, body: tinyPng });
    expect(res.status).toBe(413);
    expect(await env.store.head('temp/ws_1/u.png')).toBeNull();
  });

  it('an upload whose content is not the declared type is refused with 415 and stores nothing', async () => {
    const target = await env.store.uploadTarget('temp/ws_1/u.png', 'image/png', 1000, 60);
    const res = await env.fetch(target.url, { method: 'PUT', headers: target.headers, body: tinyJpeg });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'The file is not a PNG (its content says JPEG).',
    );
    expect(await env.store.head('temp/ws_1/u.png')).toBeNull();
  });

  it('an upload with another Content-Type than signed is refused with 415', async () => {
    const target = await env.store.uploadTarget('temp/ws_1/u.png', 'image/png', 1000, 60);
    const res = await env.fetch(target.url, { method: 'PUT', headers: { 'Content-Type': 'image/gif' }, body: tinyPng });
    expect(res.status).toBe(415);
  });

  it('an upload URL with its size changed is refused with 403', async () => {
    const target = await env.store.uploadTarget('temp/ws_1/u.png', 'image/png', 10, 60);
    const res = await env.fetch(target.url.replace('size=10', 'size=100000'), {
      method: 'PUT',
      headers: target.headers,
      body: tinyPng,
    });
    expect(res.status).toBe(403);
  });

  it('files being written are not listed', async () => {
    await fs.mkdir(path.join(env.root, 'temp/ws_1'), { recursive: true });
    await fs.writeFile(path.join(env.root, 'temp/ws_1/x.png.abc.partial'), tinyPng);
    const keys: string[] = [];
    for await (const o of env.store.list('temp/')) keys.push(o.key);
    expect(keys).toEqual([]);
  });
});
