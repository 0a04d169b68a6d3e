import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../core/errors.js';
import { DiskMediaStore } from './disk/disk-media-store.js';
import { MediaService } from './media-service.js';
import { DownloadError } from '../net/safe-fetch.js';
import { UrlSigner } from './url-signer.js';

const png = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .png()
    .toBuffer();

describe('MediaService', () => {
  let root: string;
  let store: DiskMediaStore;
  let puts: string[];
  let downloads: string[];
  let media: MediaService;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hayon-media-service-'));
    store = new DiskMediaStore({
      root,
      publicUrl: 'https://hayon.example',
      signer: new UrlSigner(Buffer.alloc(32, 3)),
    });
    await store.init();
    puts = [];
    const put = store.put.bind(store);
    store.put = async (key, bytes, type) => {
      puts.push(key);
      return put(key, bytes, type);
    };
    downloads = [];
    media = new MediaService({
      store,
      maxBytes: 5_000_000,
      fetchTimeoutMs: 1000,
      allowHosts: [],
      download: async (url) => {
        downloads.push(url);
        if (url.endsWith('/gone.png')) throw new DownloadError('status', 'The server answered 404.', 404);
        if (url.endsWith('/busy.png')) throw new DownloadError('status', 'The server answered 503.', 503);
        return { bytes: await png(20, 10), contentType: 'image/png', finalUrl: url };
      },
    });
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('makes a version for a set of limits once and finds it again after', async () => {
    const { items } = await media.attach('ws', 'post_1', [
      { ref: { url: 'https://cdn.example/a.png' }, field: 'media[0]' },
    ]);
    const stored = items[0];
    expect(stored).toMatchObject({ key: 'posts/ws/post_1/0.png', mimeType: 'image/png', width: 20, height: 10 });
    const item = { url: 'media:x', key: stored?.key, mimeType: stored?.mimeType };
    puts.length = 0;
    const jpegOnly = { maxBytes: 1_000_000, types: ['image/jpeg'] };
    const [first] = await media.forPlatform([item], jpegOnly);
    expect(first?.key).toMatch(/^posts\/ws\/post_1\/0-fit-[0-9a-f]{12}$/);
    expect(first?.mimeType).toBe('image/jpeg');
    expect(first?.url).toMatch(/^https:\/\/hayon\.example\/media\/posts\/ws\/post_1\/0-fit-/);
    expect(puts).toEqual([first?.key]);
    const [second] = await media.forPlatform([item], jpegOnly);
    expect(second?.key).toBe(first?.key);
    expect(puts).toHaveLength(1);
    // An image that already fits is used as it is: no copy.
    const [asIs] = await media.forPlatform([item], { maxBytes: 1_000_000 });
    expect(asIs?.key).toBe(stored?.key);
    expect(puts).toHaveLength(1);
  });

  it('loads stored media from the store and older posts media by URL, typing the errors for retries', async () => {
    const { items } = await media.attach('ws', 'post_2', [
      { ref: { url: 'https://cdn.example/a.png' }, field: 'media[0]' },
    ]);
    const signal = AbortSignal.timeout(1000);
    const fromStore = await media.load({ url: 'media:x', key: items[0]?.key, alt: 'Blue' }, signal);
    expect(fromStore).toMatchObject({ mimeType: 'image/png', alt: 'Blue' });
    const before = downloads.length;
    const legacy = await media.load({ url: 'https://cdn.example/old.png' }, signal);
    expect(legacy.mimeType).toBe('image/png');
    expect(downloads.length).toBe(before + 1);
    const gone = await media.load({ url: 'https://cdn.example/gone.png' }, signal).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(PlatformError);
    expect((gone as PlatformError).kind).toBe('invalid');
    const busy = await media.load({ url: 'https://cdn.example/busy.png' }, signal).catch((e: unknown) => e);
    expect((busy as PlatformError).kind).toBe('transient');
    const missing = await media.load({ url: 'media:x', key: 'posts/ws/none/0.png' }, signal).catch((e: unknown) => e);
    expect((missing as PlatformError).kind).toBe('invalid');
  });

  it('discard removes what attach stored; commit removes the uploads it used', async () => {
    const id = await media.stageFile('ws', await png(8, 8), '--media a.png');
    const attached = await media.attach('ws', 'post_3', [
      { ref: { id }, field: 'media[0]' },
      { ref: { url: 'https://cdn.example/b.png' }, field: 'media[1]' },
    ]);
    expect(await store.head(`temp/ws/${id}`)).not.toBeNull();
    await attached.discard();
    expect(await store.head('posts/ws/post_3/0.png')).toBeNull();
    expect(await store.head('posts/ws/post_3/1.png')).toBeNull();
    expect(await store.head(`temp/ws/${id}`)).not.toBeNull();
    const again = await media.attach('ws', 'post_4', [{ ref: { id }, field: 'media[0]' }]);
    await again.commit();
    expect(await store.head(`temp/ws/${id}`)).toBeNull();
    expect(await store.head('posts/ws/post_4/0.png')).not.toBeNull();
  });

  it('refuses an upload of another workspace', async () => {
    const id = await media.stageFile('ws_a', await png(8, 8), '--media a.png');
    await expect(media.attach('ws_b', 'post_5', [{ ref: { id }, field: 'media[0]' }])).rejects.toMatchObject({
      code: 'invalid_request',
      field: 'media[0].id',
    });
  });
});
