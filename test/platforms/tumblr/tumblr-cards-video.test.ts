/**
 * Link cards, video and media uploads on Tumblr, and what tumblr.js leaves to hayon (deadlines,
 * 403s without their subcode), against FakeTumblrServer over HTTPS.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedContent } from '../../../src/core/content.js';
import type { PlatformError } from '../../../src/core/errors.js';
import type { Account } from '../../../src/core/post.js';
import { fetchLinkPreview } from '../../../src/media/link-preview.js';
import type { LoadedMedia, Platform, PlatformDeps, PublishInput } from '../../../src/platforms/platform.js';
import { createTumblrPlatform } from '../../../src/platforms/tumblr/tumblr-platform.js';
import { FakeMediaServer } from '../../fakes/media-server.js';
import { FakeTumblrServer } from '../../fakes/fake-tumblr-server.js';

const account = { id: 'acc_t', platform: 'tumblr', handle: 'fakeblog' } as Account;
const createRoute = 'POST /v2/blog/:blog/posts';
const png: LoadedMedia = {
  bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  mimeType: 'image/png',
};
const mp4: LoadedMedia = { bytes: new Uint8Array(2048).fill(7), mimeType: 'video/mp4' };

const page = (title: string) =>
  new TextEncoder().encode(
    `<html><head><title>x</title><meta property="og:title" content="${title}">` +
      '<meta property="og:description" content="What changed in 2.0">' +
      '<meta property="og:image" content="/cover.jpg"></head><body>hi</body></html>',
  );

describe('Tumblr link cards, video and uploads', () => {
  let server: FakeTumblrServer;
  let site: FakeMediaServer;
  let posted: unknown[];
  let checkpoints: Record<string, unknown>[];

  beforeAll(async () => {
    site = new FakeMediaServer();
    await site.start();
    site.file('/release', page('Release 2.0'), 'text/html; charset=utf-8');
  });
  afterAll(() => site.stop());
  beforeEach(async () => {
    server = await new FakeTumblrServer().start();
    posted = [];
    checkpoints = [];
  });
  afterEach(() => server.stop());

  /** The real link-preview reader, allowed to reach the local page server. */
  const deps = (more: Partial<PlatformDeps> = {}): PlatformDeps => ({
    fetch,
    timeoutMs: 5_000,
    linkPreview: (url, o) => fetchLinkPreview(url, { ...o, allowHosts: [site.host] }),
    ...more,
  });
  const tumblr = (d: PlatformDeps = deps()): Platform => createTumblrPlatform(d, { apiUrl: server.url });
  const oauth1 = () => ({ blog: 'fakeblog', ...server.options.oauth1 });
  const oauth2 = () => ({ blog: 'fakeblog', accessToken: server.accessToken });
  const input = (
    content: Partial<ResolvedContent>,
    credentials: Record<string, unknown> = oauth1(),
    media: LoadedMedia = png,
    more: Partial<PublishInput> = {},
  ): PublishInput => ({
    deliveryId: 'dlv_c1',
    key: `dlv_c1_${posted.push(content)}`,
    content: { text: '', media: [], ...content },
    account,
    credentials,
    saveCredentials: async () => {},
    saveCheckpoint: async (data) => {
      checkpoints.push(data);
    },
    loadMedia: async () => media,
    signal: AbortSignal.timeout(5_000),
    ...more,
  });
  const failure = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as PlatformError);

  describe('link cards', () => {
    it("the first link of a post without media becomes a link block with the page's Open Graph data", async () => {
      const release = `${site.origin}/release`;
      await tumblr().publish(input({ text: `Out now: ${release} and https://example.org/other` }));
      const blocks = server.posts[0]?.content ?? [];
      expect(blocks.filter((b) => b.type === 'link')).toEqual([
        {
          type: 'link',
          url: release,
          title: 'Release 2.0',
          description: 'What changed in 2.0',
          poster: [{ url: `${site.origin}/cover.jpg` }],
        },
      ]);
    });

    it('over OAuth 2 as well', async () => {
      const release = `${site.origin}/release`;
      await tumblr().publish(input({ text: `Out now: ${release}` }, oauth2()));
      expect(server.posts[0]).toMatchObject({ auth: 'oauth2' });
      expect(server.posts[0]?.content.at(-1)).toMatchObject({ type: 'link', url: release, title: 'Release 2.0' });
    });

    it('a page that cannot be read gives the URL alone (Tumblr reads it), and the post goes out', async () => {
      const missing = `${site.origin}/no-such-page`;
      await tumblr().publish(input({ text: `see ${missing}` }));
      expect(server.posts[0]?.content.at(-1)).toEqual({ type: 'link', url: missing });
    });

    it('linkPreview: false, or a post with media, gets no link block', async () => {
      const release = `${site.origin}/release`;
      const reads = site.requests.length;
      await tumblr().publish(input({ text: `no card ${release}`, linkPreview: false }));
      await tumblr().publish(input({ text: `picture ${release}`, media: [{ url: 'https://m/a.png' }] }));
      expect(server.posts.flatMap((p) => p.content.map((b) => b.type))).not.toContain('link');
      expect(server.posts).toHaveLength(2);
      expect(site.requests.length).toBe(reads);
    });
  });

  describe('media', () => {
    it('an image through tumblr.js: multipart, typed by its extension, with its alt text', async () => {
      await tumblr().publish(input({ text: 'A picture', media: [{ url: 'https://m/a.png', alt: 'A grey box' }] }));
      const [post] = server.posts;
      expect(post).toMatchObject({ auth: 'oauth1', encoding: 'multipart' });
      // tumblr.js names each upload by its block's index in `content`.
      expect(post?.content[1]).toEqual({ type: 'image', media: { identifier: '1' }, alt_text: 'A grey box' });
      expect(post?.uploads).toEqual({ '1': { type: 'image/png', size: png.bytes.length } });
    });

    for (const [auth, creds] of [
      ['OAuth 1.0a (tumblr.js)', oauth1],
      ['OAuth 2', oauth2],
    ] as const) {
      it(`a video is uploaded as a native video block, ${auth}`, async () => {
        const media = [{ url: 'https://m/clip.mp4', mimeType: 'video/mp4', alt: 'A cat' }];
        await tumblr().publish(input({ text: 'A clip', media }, creds(), mp4));
        const [post] = server.posts;
        const video = post?.content.find((b) => b.type === 'video');
        expect(video).toMatchObject({ type: 'video', alt_text: 'A cat' });
        expect(Object.values(post?.uploads ?? {})).toEqual([{ type: 'video/mp4', size: mp4.bytes.length }]);
      });
    }

    it('a video over 100 MB is refused as invalid naming media[0] and Tumblr, before anything is sent', async () => {
      const big: LoadedMedia = { bytes: new Uint8Array(100 * 1024 * 1024 + 1), mimeType: 'video/mp4' };
      const e = await failure(
        tumblr().publish(input({ text: 'Too big', media: [{ url: 'https://m/big.mp4' }] }, oauth1(), big)),
      );
      expect(e).toMatchObject({ kind: 'invalid' });
      expect(e?.message).toBe('media[0] is a 101 MB video: Tumblr takes videos up to 100 MB. Shorten or compress it.');
      expect(server.posts).toHaveLength(0);
      expect(checkpoints).toEqual([]);
    });

    it('an attachment that is neither image nor video is refused, never sent as something else', async () => {
      const pdf: LoadedMedia = { bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46]), mimeType: 'application/pdf' };
      const e = await failure(
        tumblr().publish(input({ text: 'doc', media: [{ url: 'https://m/a.pdf' }] }, oauth2(), pdf)),
      );
      expect(e).toMatchObject({ kind: 'invalid' });
      expect(e?.message).toContain('media[0] is application/pdf: Tumblr takes only images and videos');
      expect(server.posts).toHaveLength(0);
    });
  });

  describe('what tumblr.js leaves to hayon', () => {
    it('a call that does not answer is transient once the deadline passes (tumblr.js takes no signal)', async () => {
      server.failNext(createRoute, { status: 0, hang: true });
      const started = Date.now();
      const e = await failure(tumblr(deps({ timeoutMs: 300 })).publish(input({ text: 'hanging' })));
      expect(e).toMatchObject({ kind: 'transient' });
      expect(e?.message).toBe('Tumblr did not answer in time (POST /v2/blog/{blog}/posts).');
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it("the caller's abort ends a tumblr.js call at once", async () => {
      server.failNext('GET /v2/user/info', { status: 0, hang: true });
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error('worker stopping')), 100);
      const e = await failure(tumblr().verify(oauth1(), ac.signal));
      expect(e).toMatchObject({ kind: 'transient' });
      expect(e?.message).toBe('Tumblr call was cancelled (GET /v2/user/info).');
    });

    const forbidden = (code: number) => ({
      status: 403,
      body: { meta: { status: 403, msg: 'Forbidden' }, response: [], errors: [{ title: 'Forbidden', code }] },
    });

    it('a 403 on a video post with no limit spent (403.8010, transcoding) waits, rather than asking to reconnect', async () => {
      server.failNext(createRoute, forbidden(8010));
      const media = [{ url: 'https://m/clip.mp4', mimeType: 'video/mp4' }];
      const e = await failure(tumblr().publish(input({ text: 'second clip', media }, oauth1(), mp4)));
      expect(e).toMatchObject({ kind: 'rate_limited', httpStatus: 403, retryAfterMs: 300_000 });
      expect(server.requests).toContain('GET /v2/user/limits');
    });

    it('a 403 on a text post with no limit spent stays an auth error (the account may not post there)', async () => {
      server.failNext(createRoute, forbidden(0));
      const e = await failure(tumblr().publish(input({ text: 'not mine' })));
      expect(e).toMatchObject({ kind: 'auth', httpStatus: 403 });
    });
  });
});
