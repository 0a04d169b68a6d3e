import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { makePng } from '../platforms/bluesky/png.js';
import { makeMp4 } from '../fakes/mp4.js';
import { imageDistance, photoJpeg } from '../fakes/images.js';
import { faultyFetch } from '../fakes/faulty-fetch.js';
import { startHayon, type TestHayon } from '../harness.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';

const unavailable = pdsUnavailableReason();
if (unavailable) console.warn(`Skipping the Bluesky end-to-end tests: ${unavailable}`);

// HTTP POST /v1/posts → SQLite → scheduler → worker → a real local PDS → GET /v1/posts/:id.
describe.skipIf(unavailable)('end to end: HTTP API to a real Bluesky PDS', () => {
  let pds: TestPds;
  let client: PdsClient;
  let h: TestHayon;
  let images: Server;
  let imageUrl: string;
  let bigPhoto: Buffer;
  const net = faultyFetch();
  let user: { handle: string; did: string; password: string };

  beforeAll(async () => {
    pds = await startPds();
    client = new PdsClient(pds.url);
    const png = makePng(64, 48);
    bigPhoto = await photoJpeg(4000, 3000, { exif: true });
    const files: Record<string, [string, Uint8Array]> = {
      '/big.jpg': ['image/jpeg', bigPhoto],
      '/clip.mp4': ['video/mp4', makeMp4({ width: 640, height: 360, seconds: 12, bytes: 120_000 })],
      '/long.mp4': ['video/mp4', makeMp4({ width: 640, height: 360, seconds: 240, bytes: 20_000 })],
      '/notes': [
        'text/html',
        Buffer.from(
          '<head><meta property="og:title" content="Release notes"><meta property="og:image" content="/cat.png"></head>',
        ),
      ],
    };
    images = createServer((req, res) => {
      const [type, body] = files[req.url ?? ''] ?? ['image/png', png];
      res.writeHead(200, { 'content-type': type }).end(body);
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/cat.png`;
    // The image server is on loopback, which attachment URLs may not reach unless allowed.
    const imageHost = new URL(imageUrl).host;
    h = await startHayon({
      env: { fetchAllowHosts: imageHost },
      fetch: net.fetch,
      retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 500, jitter: 0 },
    });
  });
  afterAll(async () => {
    await h?.stop();
    images?.close();
    await pds?.stop();
  });

  // Each test posts as a new PDS user, so its records can be counted alone.
  beforeEach(async () => {
    user = await client.createAccount('e2e');
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', {
      service: pds.url,
      identifier: user.handle,
      appPassword: user.password,
    });
  });
  const target = () => `bluesky:${user.handle}`;
  const getPost = async (id: string) => (await h.api('GET', `/v1/posts/${id}`)).json();

  it('publishes text with a link, a hashtag and an image with alt text, and shows the link', async () => {
    const text = 'Hello from hayon https://example.com #launch';
    const res = await h.api('POST', '/v1/posts', {
      text,
      targets: [target()],
      media: [{ url: imageUrl, alt: 'A test pattern' }],
      timezone: 'Europe/Berlin',
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await h.drain();
    const post = await getPost(created.id);
    expect(post.status).toBe('COMPLETED');
    const [delivery] = post.deliveries;
    expect(delivery.state).toBe('published');
    const rkey = delivery.remoteId.split('/').at(-1);
    expect(delivery.url).toBe(`https://bsky.app/profile/${user.handle}/post/${rkey}`);
    const record = (await client.getRecord(user.did, rkey)).value as Record<string, unknown> & {
      facets: { features: { $type: string }[] }[];
      embed: { images: { alt: string }[] };
    };
    expect(record.text).toBe(text);
    expect(record.facets.map((f) => f.features[0]?.$type)).toEqual([
      'app.bsky.richtext.facet#link',
      'app.bsky.richtext.facet#tag',
    ]);
    expect(record.embed.images[0]?.alt).toBe('A test pattern');
    expect(await client.listPosts(user.did)).toHaveLength(1);
  });

  it('brings a 12-megapixel photo under the PDS blob limit, and the blob still looks like the photo', async () => {
    expect(bigPhoto.length).toBeGreaterThan(3_000_000);
    const res = await h.api('POST', '/v1/posts', {
      text: 'A big photo',
      targets: [target()],
      media: [{ url: new URL('/big.jpg', imageUrl).href, alt: 'A gradient' }],
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await h.drain();
    const post = await getPost(created.id);
    expect(post.status).toBe('COMPLETED');
    const rkey = post.deliveries[0].remoteId.split('/').at(-1);
    const record = (await client.getRecord(user.did, rkey)).value as {
      embed: { images: { alt: string; image: { ref: { $link: string }; size: number } }[] };
    };
    const [image] = record.embed.images;
    expect(image?.alt).toBe('A gradient');
    expect(image?.image.size).toBeLessThanOrEqual(1_000_000);
    const blob = await client.getBlob(user.did, image?.image.ref.$link ?? '');
    expect(blob.length).toBe(image?.image.size);
    expect(await imageDistance(blob, bigPhoto)).toBeLessThan(8);
  });

  it('publishes an MP4 as a video (aspect ratio from its header), never as an image', async () => {
    const res = await h.api('POST', '/v1/posts', {
      text: 'A clip',
      targets: [target()],
      media: [{ url: new URL('/clip.mp4', imageUrl).href, alt: 'Twelve seconds' }],
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await h.drain();
    const post = await getPost(created.id);
    expect(post.status).toBe('COMPLETED');
    const rkey = post.deliveries[0].remoteId.split('/').at(-1);
    const { embed } = (await client.getRecord(user.did, rkey)).value as { embed: Record<string, unknown> };
    expect(embed).toMatchObject({
      $type: 'app.bsky.embed.video',
      alt: 'Twelve seconds',
      aspectRatio: { width: 640, height: 360 },
      video: { mimeType: 'video/mp4', size: 120_000 },
    });
  });

  it('refuses at the door what Bluesky cannot take: images with a video, a video over 3 minutes', async () => {
    const postsBefore = (await (await h.api('GET', '/v1/posts')).json()).posts.length;
    const video = { url: new URL('/clip.mp4', imageUrl).href };
    const mixed = await h.api('POST', '/v1/posts', {
      text: 'x',
      targets: [target()],
      media: [{ url: imageUrl }, video],
    });
    expect(mixed.status).toBe(400);
    expect((await mixed.json()).error).toMatchObject({
      field: 'media',
      message: 'A Bluesky post takes images or one video, not both (1 image and 1 video given).',
    });
    const long = await h.api('POST', '/v1/posts', {
      text: 'x',
      targets: [target()],
      media: [{ url: new URL('/long.mp4', imageUrl).href }],
    });
    expect(long.status).toBe(400);
    expect((await long.json()).error).toMatchObject({
      field: 'media[0]',
      message: 'media[0] is too long for a Bluesky video: 4:00 of 3:00.',
    });
    expect((await (await h.api('GET', '/v1/posts')).json()).posts).toHaveLength(postsBefore);
    expect(await client.listPosts(user.did)).toHaveLength(0);
  });

  it('a link without media gets a card; linkPreview: false is stored and gives none', async () => {
    const page = new URL('/notes', imageUrl).href;
    const withCard = await (await h.api('POST', '/v1/posts', { text: `Notes: ${page}`, targets: [target()] })).json();
    const without = await (
      await h.api('POST', '/v1/posts', { text: `Notes: ${page}`, targets: [target()], linkPreview: false })
    ).json();
    expect(without.linkPreview).toBe(false);
    expect(withCard).not.toHaveProperty('linkPreview');
    await h.drain();
    const embedOf = async (id: string) => {
      const post = await getPost(id);
      expect(post.status).toBe('COMPLETED');
      const rkey = post.deliveries[0].remoteId.split('/').at(-1);
      return ((await client.getRecord(user.did, rkey)).value as { embed?: Record<string, unknown> }).embed;
    };
    expect(await embedOf(withCard.id)).toMatchObject({
      $type: 'app.bsky.embed.external',
      external: { uri: page, title: 'Release notes', description: '', thumb: { mimeType: 'image/png' } },
    });
    expect(await embedOf(without.id)).toBeUndefined();
  });

  it('holds a post scheduled 2 s ahead until it is due, then publishes it', async () => {
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'two seconds', targets: [target()], when: 'in 2 seconds' })
    ).json();
    expect(created.status).toBe('SCHEDULED');
    expect(await client.listPosts(user.did)).toHaveLength(0);
    const due = Date.parse(created.scheduledAt);
    while (Date.now() < due + 300) await new Promise((r) => setTimeout(r, 100));
    await h.drain();
    const post = await getPost(created.id);
    expect(post.status).toBe('COMPLETED');
    expect(Date.parse(post.deliveries[0].publishedAt)).toBeGreaterThanOrEqual(due);
    expect(await client.listPosts(user.did)).toHaveLength(1);
  });

  it('publishes nothing for a post cancelled before it is due', async () => {
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'cancel me', targets: [target()], when: 'in 1 second' })
    ).json();
    expect((await h.api('POST', `/v1/posts/${created.id}/cancel`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_300));
    await h.drain();
    expect((await getPost(created.id)).status).toBe('CANCELLED');
    expect(await client.listPosts(user.did)).toHaveLength(0);
  });

  it('retries a 5xx from the PDS and publishes exactly one record', async () => {
    net.inject({ method: 'com.atproto.repo.createRecord', status: 503, times: 1 });
    const created = await (await h.api('POST', '/v1/posts', { text: 'through a 503', targets: [target()] })).json();
    await h.drain();
    await until(async () => (await getPost(created.id)).status === 'COMPLETED');
    const post = await getPost(created.id);
    expect(post.deliveries[0]).toMatchObject({ state: 'published', attempts: 2 });
    expect(await client.listPosts(user.did)).toHaveLength(1);
  });

  it('a 401 marks the account expired, and the delivery waits for a reconnect without retrying', async () => {
    for (const method of [
      'com.atproto.repo.createRecord',
      'com.atproto.server.refreshSession',
      'com.atproto.server.createSession',
    ]) {
      net.inject({ method, status: 401, times: 5 });
    }
    const created = await (await h.api('POST', '/v1/posts', { text: 'refused', targets: [target()] })).json();
    await h.drain();
    await until(async () => (await getPost(created.id)).deliveries[0].error?.kind === 'auth');
    const post = await getPost(created.id);
    expect(post.deliveries[0]).toMatchObject({ state: 'scheduled', attempts: 0, error: { kind: 'auth' } });
    const account = (await h.ctx.store.listAccounts(h.workspaceId)).find((a) => a.handle === user.handle);
    expect(account?.health).toBe('expired');
    expect(await client.listPosts(user.did)).toHaveLength(0);
    // No secret reached the stored error or the log.
    const logText = JSON.stringify(h.logs);
    expect(logText).not.toContain(user.password);
    expect(JSON.stringify(post)).not.toContain(user.password);
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
