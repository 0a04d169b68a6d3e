import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DiskMediaStore } from '../../src/media/disk/disk-media-store.js';
import { S3MediaStore } from '../../src/media/s3/s3-media-store.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { imageDistance, photoJpeg, solidPng } from '../fakes/images.js';
import { FakeMediaServer } from '../fakes/media-server.js';
import { startHayon, type TestHayon } from '../harness.js';

// Attachments end to end on the embedded default (disk media store): by URL and by upload, into
// the store before the post is accepted, out to each platform in a version that fits it.
describe('media (embedded, disk store)', () => {
  let h: TestHayon;
  let web: FakeMediaServer;
  let bluesky: FakePlatform;
  let instagram: FakePlatform;

  beforeAll(async () => {
    web = new FakeMediaServer();
    await web.start();
  });
  afterAll(() => web.stop());

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { imageLimits: { maxBytes: 1_000_000, maxDimension: 2000 } });
    instagram = new FakePlatform('instagram', { imageLimits: { maxBytes: 8 * 1024 * 1024, types: ['image/jpeg'] } });
    h = await startHayon({ env: { fetchAllowHosts: web.host }, platforms: { bluesky, instagram } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'instagram', { identifier: 'alice', appPassword: 'pw' });
  });
  afterEach(() => h.stop());

  const keys = async (prefix: string) => {
    const found: string[] = [];
    for await (const object of h.ctx.media.store.list(prefix)) found.push(object.key);
    return found.sort();
  };
  const postCount = async () => (await (await h.api('GET', '/v1/posts')).json()).posts.length;

  it('stores a URL attachment without its EXIF and GPS, and gives Bluesky a version under its limit that looks the same', async () => {
    const original = await photoJpeg(4000, 3000, { exif: true });
    expect(original.length).toBeGreaterThan(3_000_000);
    // The server says octet-stream: the type comes from the bytes.
    const url = web.file('/photos/launch.jpg', original, 'application/octet-stream');
    const res = await h.api('POST', '/v1/posts', {
      text: 'Launch day',
      media: [{ url, alt: 'A gradient' }],
      targets: ['bluesky'],
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    // Oriented: the camera said "rotate 90°", so the stored image is upright, 3000 × 4000.
    expect(created.media).toEqual([
      { type: 'image/jpeg', size: expect.any(Number), width: 3000, height: 4000, alt: 'A gradient', sourceUrl: url },
    ]);
    const [stored] = await keys(`posts/${h.workspaceId}/${created.id}/`);
    const storedMeta = await sharp((await h.ctx.media.store.get(stored ?? ''))?.bytes).metadata();
    expect(storedMeta.exif).toBeUndefined();

    await h.drain();
    const [sent] = bluesky.media.get(created.deliveries[0].id) ?? [];
    expect(sent?.mimeType).toBe('image/jpeg');
    expect(sent?.bytes.length).toBeLessThanOrEqual(1_000_000);
    const meta = await sharp(sent?.bytes).metadata();
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(2000);
    expect(meta.width / meta.height).toBeCloseTo(3000 / 4000, 2);
    expect(meta.exif).toBeUndefined();
    expect(await imageDistance(sent?.bytes ?? new Uint8Array(), original)).toBeLessThan(8);
    // The variant is kept beside the original, for the next delivery to the same limits.
    expect(await keys(`posts/${h.workspaceId}/${created.id}/`)).toHaveLength(2);
  });

  it('gives platforms that fetch by URL a signed, expiring URL of a version in a type they take', async () => {
    const url = web.file('/logo.png', await solidPng(300, 200), 'image/png');
    const res = await h.api('POST', '/v1/posts', {
      text: 'Logo',
      media: [{ url, alt: 'Red' }],
      targets: ['instagram'],
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await h.drain();
    const [sent] = instagram.media.get(created.deliveries[0].id) ?? [];
    const signed = new URL(sent?.item.url ?? '');
    expect(`${signed.origin}`).toBe(h.ctx.config.publicUrl);
    expect(signed.pathname).toMatch(new RegExp(`^/media/posts/${h.workspaceId}/${created.id}/0-fit-[0-9a-f]+$`));
    expect(sent?.item.mimeType).toBe('image/jpeg');
    const fetched = await h.request(`${signed.pathname}${signed.search}`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/jpeg');
    // Without the signature, or with another path, nothing is served.
    expect((await h.request(signed.pathname)).status).toBe(403);
    expect((await h.request(`/media/posts/${h.workspaceId}/${created.id}/0.png${signed.search}`)).status).toBe(403);
  });

  it('names what is wrong with a signed media URL, and takes a broken escape in its key as no media (not a 500)', async () => {
    const store = h.ctx.media.store as DiskMediaStore;
    const signed = new URL(await store.downloadUrl('posts/nobody/none/0.jpg', 60));
    const expired = new URL(await store.downloadUrl('posts/nobody/none/0.jpg', -60));
    const search = new URLSearchParams(signed.search);
    const cases: [string, number, string][] = [
      [signed.pathname, 403, 'expires'],
      [`${signed.pathname}?expires=${search.get('expires')}`, 403, 'sig'],
      [`${signed.pathname}?expires=${search.get('expires')}&sig=${'A'.repeat(43)}`, 403, 'sig'],
      [`${expired.pathname}${expired.search}`, 403, 'expires'],
      [`${signed.pathname}${signed.search}`, 404, 'key'],
      [`/media/%ff${signed.search}`, 403, 'key'],
    ];
    for (const [path, status, field] of cases) {
      const res = await h.request(path);
      expect([res.status, (await res.json()).error.field], path).toEqual([status, field]);
    }
    const upload = await h.request('/media/upload/%E0%A4?expires=1&sig=a&type=image/jpeg&size=1', {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array(1),
    });
    expect([upload.status, (await upload.json()).error.field]).toEqual([403, 'key']);
  });

  describe('URLs that must not be fetched (SSRF), refused before anything is stored', () => {
    const cases: [string, () => string][] = [
      ['loopback 127.0.0.1 (another port than the allowed one)', () => 'http://127.0.0.1:1/a.png'],
      ['a private 10/8 address', () => 'http://10.0.0.1/a.png'],
      ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
      ['IPv6 loopback', () => 'http://[::1]/a.png'],
      ['loopback written as a number', () => 'http://2130706433/a.png'],
      ['a redirect to a private address', () => web.redirect('/go', 'http://192.168.1.10/a.png')],
      ['a redirect to the metadata address', () => web.redirect('/meta', 'http://169.254.169.254/latest/')],
    ];
    for (const [name, url] of cases) {
      it(name, async () => {
        const res = await h.api('POST', '/v1/posts', { text: 'x', media: [{ url: url() }], targets: ['bluesky'] });
        expect(res.status).toBe(400);
        const body = await res.json();
        expect(body.error.field).toBe('media[0].url');
        expect(body.error.message).toMatch(/private|loopback|not allowed|does not fetch/i);
        expect(body.error.message).toContain('HAYON_FETCH_ALLOW_HOSTS');
        expect(await postCount()).toBe(0);
        expect(await keys('posts/')).toEqual([]);
      });
    }
  });

  it('an attachment that cannot be downloaded is refused with the reason and what to check', async () => {
    const res = await h.api('POST', '/v1/posts', {
      text: 'x',
      media: [{ url: `http://${web.host}/nothing-here.png` }],
      targets: ['bluesky'],
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({
      field: 'media[0].url',
      message: `media[0].url: The attachment at ${web.host} answered 404 (nothing is there: check the URL).`,
    });
    expect(await postCount()).toBe(0);
  });

  it('refuses a file that claims to be a PNG and is not, whatever its name and Content-Type say', async () => {
    const html = web.file('/fake.png', Buffer.from('<html>not an image</html>'), 'image/png');
    const res = await h.api('POST', '/v1/posts', { text: 'x', media: [{ url: html }], targets: ['bluesky'] });
    expect(res.status).toBe(415);
    expect((await res.json()).error).toEqual({
      code: 'unsupported_media_type',
      field: 'media[0].url',
      message:
        'media[0].url: the file is not a JPEG, PNG, GIF or WebP image, or an MP4 video (judged by its content, not its name).',
    });
    // PNG's signature followed by garbage passes the sniff but not the decoder.
    const broken = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(200, 0x41)]);
    const res2 = await h.api('POST', '/v1/posts', {
      text: 'x',
      media: [{ url: web.file('/broken.png', broken, 'image/png') }],
      targets: ['bluesky'],
    });
    expect(res2.status).toBe(415);
    expect((await res2.json()).error.message).toBe(
      'media[0].url: the file starts like a PNG image but is not a valid one.',
    );
    expect(await postCount()).toBe(0);
    expect(await keys('posts/')).toEqual([]);
  });

  it('a second bad attachment removes the first one stored', async () => {
    const good = web.file('/good.png', await solidPng(10, 10), 'image/png');
    const res = await h.api('POST', '/v1/posts', {
      text: 'x',
      media: [{ url: good }, { url: `${web.origin}/missing.png` }],
      targets: ['bluesky'],
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('media[1].url');
    expect(await keys('posts/')).toEqual([]);
  });

  it('uploads: an upload URL, a PUT, then the id in a post; the upload is used once', async () => {
    const png = await solidPng(40, 30);
    const res = await h.api('POST', '/v1/uploads', { type: 'image/png', size: png.length });
    expect(res.status).toBe(201);
    const { id, upload } = await res.json();
    expect(id).toMatch(/^[0-9a-f-]{36}\.png$/);
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'image/png' } });
    const target = new URL(upload.url);
    const put = await h.request(`${target.pathname}${target.search}`, {
      method: 'PUT',
      headers: upload.headers,
      body: png,
    });
    expect(put.status).toBe(200);
    expect(await keys('temp/')).toEqual([`temp/${h.workspaceId}/${id}`]);

    const posted = await h.api('POST', '/v1/posts', {
      text: 'Uploaded',
      media: [{ id, alt: 'A red box' }],
      targets: ['bluesky'],
    });
    expect(posted.status).toBe(202);
    const created = await posted.json();
    expect(created.media).toEqual([
      { type: 'image/png', size: expect.any(Number), width: 40, height: 30, alt: 'A red box' },
    ]);
    expect(await keys('temp/')).toEqual([]);
    await h.drain();
    expect(bluesky.media.get(created.deliveries[0].id)?.[0]?.mimeType).toBe('image/png');

    const again = await h.api('POST', '/v1/posts', { text: 'Again', media: [{ id }], targets: ['bluesky'] });
    expect(again.status).toBe(400);
    expect((await again.json()).error.field).toBe('media[0].id');
  });

  it('uploads: bad requests name their field', async () => {
    const cases: [unknown, number, string][] = [
      [{ type: 'image/tiff', size: 10 }, 400, 'type'],
      [{ type: 'image/png', size: 0 }, 400, 'size'],
      [{ type: 'image/png', size: 10, name: 'x' }, 400, 'body'],
      [{ type: 'image/png', size: h.ctx.config.mediaMaxBytes + 1 }, 413, 'size'],
    ];
    for (const [body, status, field] of cases) {
      const res = await h.api('POST', '/v1/uploads', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await res.json()).error.field, JSON.stringify(body)).toBe(field);
    }
    const unknown = await h.api('POST', '/v1/posts', {
      text: 'x',
      media: [{ id: '00000000-0000-4000-8000-000000000000.png' }],
      targets: ['bluesky'],
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.field).toBe('media[0].id');
    const both = await h.api('POST', '/v1/posts', {
      text: 'x',
      media: [{ id: '00000000-0000-4000-8000-000000000000.png', url: 'https://example.com/a.png' }],
      targets: ['bluesky'],
    });
    expect(both.status).toBe(400);
    expect((await both.json()).error.field).toBe('media[0].url');
  });

  it('uploads: a PUT larger than declared is a 413 naming the limit, with or without Content-Length, and stores nothing', async () => {
    const png = await solidPng(40, 30);
    const declared = png.length - 10;
    const { upload } = await (await h.api('POST', '/v1/uploads', { type: 'image/png', size: declared })).json();
    const target = new URL(upload.url);
    const put = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
      h.request(`${target.pathname}${target.search}`, {
        method: 'PUT',
        headers: { ...upload.headers, ...headers },
        body,
        duplex: 'half',
      } as RequestInit);
    // Content-Length first: refused before a byte of the body is read.
    let pulled = 0;
    const counted = (chunks: Uint8Array[]) =>
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            const next = chunks.shift();
            if (next) {
              pulled += next.byteLength;
              controller.enqueue(next);
            } else controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    const withLength = await put(counted([png]), { 'content-length': String(png.length) });
    expect(withLength.status).toBe(413);
    expect((await withLength.json()).error).toMatchObject({
      field: 'body',
      message: `The file is larger than the ${declared} bytes declared for this upload.`,
    });
    expect(pulled).toBe(0);
    // No Content-Length (a chunked body): the read stops at the cap, the rest is never pulled.
    const slices = Array.from({ length: 20 }, (_, i) => png.subarray(i * 100, (i + 1) * 100)).filter((c) => c.length);
    const streamed = await put(counted([...slices, Buffer.alloc(1_000_000)]));
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.field).toBe('body');
    expect(pulled).toBeLessThan(png.length + 200);
    expect(await keys('temp/')).toEqual([]);
  });

  it('uploads no post used are removed after 24 hours', async () => {
    const png = await solidPng(4, 4);
    const { id, upload } = await (await h.api('POST', '/v1/uploads', { type: 'image/png', size: png.length })).json();
    const target = new URL(upload.url);
    await h.request(`${target.pathname}${target.search}`, { method: 'PUT', headers: upload.headers, body: png });
    expect(await h.ctx.media.sweepTemp()).toBe(0);
    const file = path.join(h.dataDir, 'media', 'temp', h.workspaceId, id);
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await fs.utimes(file, dayAgo, dayAgo);
    expect(await h.ctx.media.sweepTemp()).toBe(1);
    expect(await keys('temp/')).toEqual([]);
  });

  it('a workspace that requires alt text refuses an image without it, and stores nothing', async () => {
    await h.ctx.store.updateWorkspaceSettings(h.workspaceId, { requireAltText: true });
    const url = web.file('/noalt.png', await solidPng(10, 10), 'image/png');
    const res = await h.api('POST', '/v1/posts', { text: 'x', media: [{ url }], targets: ['bluesky'] });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.field).toBe('media[0].alt');
    expect(error.message).toContain('requires alt text');
    expect(await keys('posts/')).toEqual([]);
    const ok = await h.api('POST', '/v1/posts', {
      text: 'x',
      media: [{ url, alt: 'A red square' }],
      targets: ['bluesky'],
    });
    expect(ok.status).toBe(202);
  });
});

// The same through S3: a real local S3 server (s3rver, which does not check signatures).
describe('media (S3 store on s3rver)', () => {
  let server: S3rver;
  let dir: string;
  let h: TestHayon;
  let bluesky: FakePlatform;
  let store: S3MediaStore;
  let s3Endpoint = '';
  const endpoint = () => s3Endpoint;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hayon-s3-e2e-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
    const { port } = await server.run();
    s3Endpoint = `http://127.0.0.1:${port}`;
    const endpoint = s3Endpoint;
    await fetch(`${endpoint}/hayon-media`, { method: 'PUT' });
    store = new S3MediaStore({
      bucket: 'hayon-media',
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    bluesky = new FakePlatform('bluesky', { imageLimits: { maxBytes: 1_000_000 } });
    h = await startHayon({ mediaStore: store, platforms: { bluesky } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterAll(async () => {
    await h?.stop();
    await server?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a presigned upload, used in a post, published from S3', async () => {
    const png = await solidPng(64, 64);
    const { id, upload } = await (await h.api('POST', '/v1/uploads', { type: 'image/png', size: png.length })).json();
    expect(new URL(upload.url).searchParams.get('X-Amz-Signature')).toBeTruthy();
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: png });
    expect(put.status).toBe(200);
    const res = await h.api('POST', '/v1/posts', {
      text: 'From S3',
      media: [{ id, alt: 'Red' }],
      targets: ['bluesky'],
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await h.drain();
    const [sent] = bluesky.media.get(created.deliveries[0].id) ?? [];
    expect(sent?.mimeType).toBe('image/png');
    expect(await imageDistance(sent?.bytes ?? new Uint8Array(), png)).toBeLessThan(1);
    const head = await store.head(`posts/${h.workspaceId}/${created.id}/0.png`);
    expect(head?.mimeType).toBe('image/png');
    expect(await store.head(`temp/${h.workspaceId}/${id}`)).toBeNull();
  });

  it('a presigned upload larger than HAYON_MEDIA_MAX_BYTES (S3 cannot cap a PUT) is a 413 naming the limit, never read whole', async () => {
    // A store of its own (a hayon's stop closes its store), on the same bucket.
    const own = new S3MediaStore({
      bucket: 'hayon-media',
      region: 'us-east-1',
      endpoint: endpoint(),
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const small = await startHayon({ mediaStore: own, platforms: { bluesky }, env: { mediaMaxBytes: '4096' } });
    try {
      await small.ctx.accounts.add(small.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
      const { id, upload } = await (await small.api('POST', '/v1/uploads', { type: 'image/png', size: 4000 })).json();
      const big = randomBytes(10_000);
      expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: big })).status).toBe(200);
      const read: string[] = [];
      const get = own.get.bind(own);
      own.get = async (key, options) => {
        read.push(key);
        return get(key, options);
      };
      try {
        const res = await small.api('POST', '/v1/posts', { text: 'Too big', media: [{ id }], targets: ['bluesky'] });
        expect(res.status).toBe(413);
        expect((await res.json()).error).toMatchObject({
          field: 'media[0].id',
          message: 'media[0].id: the file is larger than 4 KB, the most hayon takes (HAYON_MEDIA_MAX_BYTES).',
        });
        // Refused from the object's length: its bytes were never fetched.
        expect(read).toEqual([]);
      } finally {
        own.get = get;
      }
    } finally {
      await small.stop();
    }
  });
});
