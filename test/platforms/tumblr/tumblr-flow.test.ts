import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformError } from '../../../src/core/errors.js';
import type { Account } from '../../../src/core/post.js';
import type { Platform, PublishInput } from '../../../src/platforms/platform.js';
import type { ResolvedContent } from '../../../src/core/content.js';
import { createTumblrPlatform } from '../../../src/platforms/tumblr/tumblr-platform.js';
import { FakeTumblrServer, tumblrAnswers } from '../../fakes/fake-tumblr-server.js';

const account = { id: 'acc_t', platform: 'tumblr', handle: 'fakeblog' } as Account;
const png = { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), mimeType: 'image/png' };
const createRoute = 'POST /v2/blog/:blog/posts';

describe('Tumblr adapter against FakeTumblrServer', () => {
  let server: FakeTumblrServer;
  let tumblr: Platform;
  let checkpoints: Record<string, unknown>[];
  let saved: Record<string, unknown>[];

  const start = async (options: ConstructorParameters<typeof FakeTumblrServer>[0] = {}) => {
    server = await new FakeTumblrServer(options).start();
    checkpoints = [];
    saved = [];
    tumblr = createTumblrPlatform({ fetch, timeoutMs: 5_000 }, { apiUrl: server.url });
  };
  beforeEach(() => start());
  afterEach(() => server.stop());

  const oauth1 = (blog = 'fakeblog.tumblr.com') => ({ blog, ...server.options.oauth1 });
  const oauth2 = (blog = 'fakeblog') => ({ blog, accessToken: server.accessToken });
  const input = (
    content: Partial<ResolvedContent>,
    more: Partial<PublishInput> = {},
    credentials: Record<string, unknown> = oauth1(),
  ): PublishInput => ({
    deliveryId: 'dlv_t1',
    key: 'dlv_t1',
    content: { text: content.text ?? '', media: content.media ?? [] },
    account,
    credentials,
    saveCredentials: async (c) => {
      saved.push(c);
    },
    saveCheckpoint: async (data) => {
      checkpoints.push(data);
    },
    loadMedia: async () => png,
    signal: AbortSignal.timeout(5_000),
    ...more,
  });
  const failure = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as PlatformError);

  describe('verify', () => {
    it('with OAuth 1.0a: the blog name as handle, its uuid as remote id', async () => {
      const profile = await tumblr.verify(oauth1(), AbortSignal.timeout(5_000));
      expect(profile).toMatchObject({ handle: 'fakeblog', remoteId: 't:FakeBlogUuid0001' });
      expect(profile.credentials).toMatchObject({ blogName: 'fakeblog', blogUuid: 't:FakeBlogUuid0001' });
      expect(profile.credentials).not.toHaveProperty('auth');
    });

    it('with OAuth 2, for a side blog named by its custom domain', async () => {
      const profile = await tumblr.verify(oauth2('www.side.example'), AbortSignal.timeout(5_000));
      expect(profile).toMatchObject({ handle: 'sideblog', remoteId: 't:SideBlogUuid0002' });
    });

    it('refuses a blog the user cannot post to', async () => {
      const e = await failure(tumblr.verify(oauth2('someoneelse'), AbortSignal.timeout(5_000)));
      expect(e).toMatchObject({ kind: 'auth' });
      expect(e?.message).toBe(
        'The Tumblr account alice cannot post to the blog someoneelse (its blogs: fakeblog, sideblog).',
      );
    });

    it('a wrong OAuth 1 token secret fails the signature check: auth, with no secret in the message', async () => {
      const e = await failure(
        tumblr.verify({ ...oauth1(), tokenSecret: 'wrong-token-secret' }, AbortSignal.timeout(5_000)),
      );
      expect(e).toMatchObject({ kind: 'auth', httpStatus: 401 });
      expect(e?.message).not.toContain('wrong-token-secret');
    });

    it('a wrong bearer token is auth', async () => {
      const e = await failure(tumblr.verify({ blog: 'fakeblog', accessToken: 'nope' }, AbortSignal.timeout(5_000)));
      expect(e).toMatchObject({ kind: 'auth' });
      expect(e?.message).not.toContain('nope');
    });
  });

  describe('publish', () => {
    it('posts text as NPF paragraphs with inline links and a link card, through tumblr.js (OAuth 1.0a)', async () => {
      const result = await tumblr.publish(input({ text: 'Hello Tumblr\n\nRead https://example.com/post.' }));
      expect(server.posts).toHaveLength(1);
      const [post] = server.posts;
      expect(post).toMatchObject({ blog: 'fakeblog', auth: 'oauth1', encoding: 'json', state: 'published' });
      expect(post?.content).toEqual([
        { type: 'text', text: 'Hello Tumblr' },
        {
          type: 'text',
          text: 'Read https://example.com/post.',
          formatting: [{ start: 5, end: 29, type: 'link', url: 'https://example.com/post' }],
        },
        // No link-preview reader configured: the URL alone, and Tumblr reads the page's Open Graph data.
        { type: 'link', url: 'https://example.com/post' },
      ]);
      expect(post?.slug).toMatch(/^hello-tumblr-read-hy[0-9a-f]{12}$/);
      expect(result).toEqual({ remoteId: post?.id, url: `https://www.tumblr.com/fakeblog/${post?.id}` });
      expect(checkpoints).toEqual([{ started: true }]);
    });

    it('uploads images as multipart with their alt text, over OAuth 2', async () => {
      await tumblr.publish(
        input(
          { text: 'Two pictures', media: [{ url: 'https://m/a.png', alt: 'A grey box' }, { url: 'https://m/b.png' }] },
          {},
          oauth2(),
        ),
      );
      const [post] = server.posts;
      expect(post).toMatchObject({ auth: 'oauth2', encoding: 'multipart' });
      expect(post?.content).toEqual([
        { type: 'text', text: 'Two pictures' },
        { type: 'image', media: [{ type: 'image/png', identifier: 'media-0' }], alt_text: 'A grey box' },
        { type: 'image', media: [{ type: 'image/png', identifier: 'media-1' }] },
      ]);
      expect(post?.uploads).toEqual({
        'media-0': { type: 'image/png', size: png.bytes.length },
        'media-1': { type: 'image/png', size: png.bytes.length },
      });
    });

    it('refreshes an expired OAuth 2 token once, saves the new pair and posts', async () => {
      const creds = {
        ...oauth2(),
        refreshToken: server.options.oauth2.refreshToken,
        clientId: server.options.oauth2.clientId,
        clientSecret: server.options.oauth2.clientSecret,
      };
      server.expireAccessToken();
      await tumblr.publish(input({ text: 'after refresh' }, {}, creds));
      expect(server.refreshes).toBe(1);
      expect(server.posts).toHaveLength(1);
      expect(saved).toHaveLength(1);
      expect(saved[0]).toMatchObject({ accessToken: server.accessToken, refreshToken: 'fake-refresh-token-r1' });
      expect(saved[0]).not.toHaveProperty('auth');
    });

    it('an expired OAuth 2 token without a refresh token is auth', async () => {
      server.expireAccessToken();
      const e = await failure(
        tumblr.publish(input({ text: 'x' }, {}, { blog: 'fakeblog', accessToken: 'fake-access-token' })),
      );
      expect(e).toMatchObject({ kind: 'auth', httpStatus: 401 });
      expect(server.posts).toHaveLength(0);
    });
  });

  describe('reconcile', () => {
    it('finds the post published for the key, and nothing for another key', async () => {
      const published = await tumblr.publish(input({ text: 'find me' }));
      expect(await tumblr.reconcile(input({ text: 'find me' }))).toEqual(published);
      expect(await tumblr.reconcile(input({ text: 'find me' }, { key: 'dlv_other' }))).toBeNull();
    });

    it('looks past the first page of the blog', async () => {
      const first = await tumblr.publish(input({ text: 'old one' }, { key: 'k-old' }));
      for (let i = 0; i < 25; i++) await tumblr.publish(input({ text: `filler ${i}` }, { key: `k-${i}` }));
      expect(await tumblr.reconcile(input({ text: 'old one' }, { key: 'k-old' }))).toEqual(first);
    });

    it('after a lost answer, the retry finds the post: one post, not two', async () => {
      server.failNext(createRoute, tumblrAnswers.lostAnswer);
      const lost = await failure(tumblr.publish(input({ text: 'exactly once' })));
      expect(lost).toMatchObject({ kind: 'transient' });
      expect(server.posts).toHaveLength(1);
      expect(checkpoints).toEqual([{ started: true }]);

      const found = await tumblr.reconcile(input({ text: 'exactly once' }, { checkpoint: checkpoints[0] }));
      const retried = await tumblr.publish(input({ text: 'exactly once' }, { checkpoint: checkpoints[0] }));
      expect(server.posts).toHaveLength(1);
      expect(retried).toEqual({
        remoteId: server.posts[0]?.id,
        url: `https://www.tumblr.com/fakeblog/${server.posts[0]?.id}`,
      });
      expect(found).toEqual(retried);
    });

    it('a retry after a failure that created nothing posts once', async () => {
      server.failNext(createRoute, tumblrAnswers.serverError);
      const e = await failure(tumblr.publish(input({ text: 'second time lucky' })));
      expect(e).toMatchObject({ kind: 'transient', httpStatus: 500 });
      await tumblr.publish(input({ text: 'second time lucky' }, { checkpoint: { started: true } }));
      expect(server.posts).toHaveLength(1);
      expect(server.requests.filter((r) => r.startsWith('GET /v2/blog/'))).toHaveLength(1);
    });
  });

  describe('error answers', () => {
    it('401 is auth', async () => {
      server.failNext(createRoute, tumblrAnswers.unauthorized);
      expect(await failure(tumblr.publish(input({ text: 'x' })))).toMatchObject({ kind: 'auth', httpStatus: 401 });
    });

    it('429 is rate_limited with the wait from the headers', async () => {
      server.failNext(createRoute, tumblrAnswers.rateLimited);
      const e = await failure(tumblr.publish(input({ text: 'x' })));
      expect(e).toMatchObject({ kind: 'rate_limited', httpStatus: 429, retryAfterMs: 1_800_000 });
    });

    it('the daily post limit (403.8023) is rate_limited until a reset within a day', async () => {
      await server.stop();
      await start({ dailyPostLimit: 1 });
      await tumblr.publish(input({ text: 'first' }, { key: 'k1' }));
      const e = await failure(tumblr.publish(input({ text: 'second' }, { key: 'k2' })));
      expect(e).toMatchObject({ kind: 'rate_limited', httpStatus: 403 });
      expect(e?.retryAfterMs).toBeGreaterThan(0);
      expect(e?.retryAfterMs).toBeLessThanOrEqual(25 * 3_600_000);
      expect(e?.message).toContain("Tumblr's daily limit reached");
      expect(server.posts).toHaveLength(1);
    });

    it('500 is transient', async () => {
      server.failNext(createRoute, tumblrAnswers.serverError);
      expect(await failure(tumblr.publish(input({ text: 'x' })))).toMatchObject({ kind: 'transient', httpStatus: 500 });
    });

    it("400 is invalid with Tumblr's sentence (OAuth 2)", async () => {
      // Validation would refuse this paragraph; publish is not guarded, so Tumblr's answer shows.
      const e = await failure(tumblr.publish(input({ text: 'y'.repeat(4097) }, {}, oauth2())));
      expect(e).toMatchObject({ kind: 'invalid', httpStatus: 400 });
      expect(e?.message).toBe(
        'Tumblr rejected POST /v2/blog/{blog}/posts (400): text blocks may be at most 4096 characters',
      );
    });

    it('400 through tumblr.js is invalid with the status line it reports (it drops errors[])', async () => {
      const e = await failure(tumblr.publish(input({ text: 'y'.repeat(4097) })));
      expect(e).toMatchObject({ kind: 'invalid', httpStatus: 400 });
      expect(e?.message).toBe('Tumblr rejected POST /v2/blog/{blog}/posts (400): Bad Request');
    });

    it('an unknown blog is invalid (404)', async () => {
      const e = await failure(tumblr.publish(input({ text: 'x' }, {}, oauth1('nosuchblog'))));
      expect(e).toMatchObject({ kind: 'invalid', httpStatus: 404 });
    });

    it('an unreachable server is transient', async () => {
      const url = server.url;
      await server.stop();
      const offline = createTumblrPlatform({ fetch, timeoutMs: 2_000 }, { apiUrl: url });
      const e = await failure(offline.publish(input({ text: 'x' })));
      expect(e).toMatchObject({ kind: 'transient' });
      await start();
    });

    it('malformed credentials are an auth error (reconnect) and name the missing field', async () => {
      const e = await failure(tumblr.publish(input({ text: 'x' }, {}, { blog: 'fakeblog', consumerKey: 'k' })));
      expect(e).toMatchObject({ kind: 'auth' });
      expect(e?.message).toBe(
        'Tumblr credentials are incomplete or malformed (OAuth 1.0a: consumerSecret, token, tokenSecret).',
      );
    });
  });
});
