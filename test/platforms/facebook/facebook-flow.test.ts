import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/core/errors.js';
import type { Account } from '../../../src/core/post.js';
import { createFacebookPlatform } from '../../../src/platforms/facebook/facebook-platform.js';
import type { Platform, PublishInput } from '../../../src/platforms/platform.js';
import type { ResolvedContent } from '../../../src/core/content.js';
import { FakeFacebookServer, type GraphErrorAnswer, graphErrors } from '../../fakes/fake-facebook-server.js';

const account = { id: 'acc_f', platform: 'facebook', handle: 'Hayon Bakery' } as Account;
const photoA = { url: 'https://media.example/a.jpg?sig=1', alt: 'A sourdough loaf' };
const photoB = { url: 'https://media.example/b.jpg?sig=2' };
const video = { url: 'https://media.example/tour?sig=3', mimeType: 'video/mp4' };

describe('Facebook adapter against FakeFacebookServer', () => {
  let server: FakeFacebookServer;
  let facebook: Platform;
  /** What the store holds for the delivery: the last checkpoint saved. */
  let checkpoint: Record<string, unknown> | undefined;

  beforeEach(async () => {
    server = await new FakeFacebookServer().start();
    facebook = createFacebookPlatform({ fetch, timeoutMs: 5_000, sleep: async () => {} });
    checkpoint = undefined;
  });
  afterEach(() => server.stop());

  const credentials = () => ({ pageId: server.pageId, pageAccessToken: server.token, apiUrl: server.apiUrl });
  const input = (content: Partial<ResolvedContent>, key = 'dlv_f1'): PublishInput => ({
    deliveryId: key,
    key,
    content: { ...content, text: content.text ?? '', media: content.media ?? [] },
    account,
    credentials: credentials(),
    saveCredentials: async () => {},
    checkpoint,
    saveCheckpoint: async (data) => {
      checkpoint = data;
    },
    loadMedia: async () => {
      throw new Error('Facebook fetches media by URL; loadMedia must not be called');
    },
    signal: AbortSignal.timeout(5_000),
  });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => null as unknown as PlatformError,
      (e: PlatformError) => e,
    );

  it('verify returns the Page name and id', async () => {
    const profile = await facebook.verify(credentials(), AbortSignal.timeout(5_000));
    expect(profile).toEqual({ handle: 'Hayon Bakery', remoteId: server.pageId, credentials: credentials() });
  });

  it('verify with a wrong token is auth and does not show the token', async () => {
    const err = await failure(
      facebook.verify(
        { ...credentials(), pageAccessToken: 'EAAwrongsecrettoken0123456789' },
        AbortSignal.timeout(5_000),
      ),
    );
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain('EAAwrongsecrettoken0123456789');
  });

  it('publishes a text post as a feed message with its permalink', async () => {
    const result = await facebook.publish(input({ text: 'Open today until 6 pm.' }));
    expect(server.posts).toHaveLength(1);
    expect(server.posts[0]).toMatchObject({ message: 'Open today until 6 pm.', link: null, photoIds: [] });
    expect(result).toEqual({ remoteId: server.posts[0]?.id, url: server.posts[0]?.permalink_url });
    expect(result.remoteId).toMatch(new RegExp(`^${server.pageId}_\\d+$`));
  });

  it('a text with a URL also sends its first URL as the link card, keeping the text as written', async () => {
    await facebook.publish(input({ text: 'New menu: https://bakery.example/menu, old: https://bakery.example/old' }));
    expect(server.posts[0]).toMatchObject({
      message: 'New menu: https://bakery.example/menu, old: https://bakery.example/old',
      link: 'https://bakery.example/menu',
    });
  });

  it('no link card when the request said linkPreview: false, nor with photos', async () => {
    await facebook.publish(input({ text: 'Menu: https://bakery.example/menu', linkPreview: false }));
    checkpoint = undefined;
    await facebook.publish(input({ text: 'Loaf https://bakery.example', media: [photoA] }, 'dlv_f2'));
    expect(server.posts.map((p) => p.link)).toEqual([null, null]);
  });

  it('the fake refuses what the Graph API refuses: a link that is not a URL, a field a post lacks', async () => {
    const call = (path: string, init?: RequestInit) =>
      fetch(`${server.apiUrl}${path}`, init).then(async (r) => [
        r.status,
        ((await r.json()) as { error?: { message: string } }).error?.message,
      ]);
    const form = new URLSearchParams({ message: 'x', link: 'bakery', access_token: server.token });
    expect(await call(`/${server.pageId}/feed`, { method: 'POST', body: form })).toEqual([
      400,
      '(#100) The parameter link must be a valid URL',
    ]);
    const fields = `fields=id,message,permalink&access_token=${server.token}`;
    expect(await call(`/${server.pageId}/published_posts?${fields}`)).toEqual([
      400,
      '(#100) Tried accessing nonexisting field (permalink) on node type (PagePost)',
    ]);
  });

  it('several photos: uploaded unpublished with alt text, then attached to one post in order', async () => {
    const result = await facebook.publish(input({ text: 'Two loaves', media: [photoA, photoB] }));
    const photos = [...server.photos.values()];
    expect(photos.map((p) => [p.url, p.alt, p.published])).toEqual([
      [photoA.url, photoA.alt, false],
      [photoB.url, null, false],
    ]);
    expect(server.posts).toHaveLength(1);
    expect(server.posts[0]).toMatchObject({ message: 'Two loaves', photoIds: photos.map((p) => p.id) });
    expect(result.remoteId).toBe(server.posts[0]?.id);
  });

  it('a video goes by file_url with the text as description; the result is the Page video post', async () => {
    const result = await facebook.publish(input({ text: 'Oven tour', media: [video] }));
    const [v] = [...server.videos.values()];
    expect(v).toMatchObject({ file_url: video.url, description: 'Oven tour' });
    expect(server.posts).toHaveLength(1);
    expect(result).toEqual({
      remoteId: `${server.pageId}_${v?.id}`,
      url: `https://www.facebook.com/${server.pageId}/videos/${v?.id}/`,
    });
  });

  describe('error answers map to the four kinds', () => {
    const cases: [string, PlatformError['kind'], GraphErrorAnswer][] = [
      ['expired token (190/463)', 'auth', graphErrors.expiredToken],
      ['password changed (190/460)', 'auth', graphErrors.passwordChanged],
      ['missing permission (200)', 'auth', graphErrors.permission],
      ['app rate limit (4)', 'rate_limited', graphErrors.appRateLimit],
      ['user rate limit (17)', 'rate_limited', graphErrors.userRateLimit],
      ['page rate limit (32)', 'rate_limited', graphErrors.pageRateLimit],
      ['custom rate limit (613)', 'rate_limited', graphErrors.customRateLimit],
      ['temporarily blocked (368)', 'invalid', graphErrors.blocked],
      ['invalid parameter (100)', 'invalid', graphErrors.invalidParameter],
      ['server error (500)', 'transient', graphErrors.serverError],
    ];
    it.each(cases)('%s → %s, and nothing is posted', async (_name, kind, answer) => {
      server.failNext('POST /:id/feed', answer);
      const err = await failure(facebook.publish(input({ text: 'Hello' })));
      expect(err).toBeInstanceOf(PlatformError);
      expect(err.kind).toBe(kind);
      expect(err.route).toBe('/{id}/feed');
      expect(server.posts).toHaveLength(0);
    });

    it('a rate limit carries how long Meta asks to wait', async () => {
      const usage = JSON.stringify({ [server.pageId]: [{ type: 'pages', estimated_time_to_regain_access: 12 }] });
      server.failNext('POST /:id/feed', {
        ...graphErrors.pageRateLimit,
        headers: { 'x-business-use-case-usage': usage },
      });
      const err = await failure(facebook.publish(input({ text: 'Hello' })));
      expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 12 * 60_000 });
    });

    it('a token that expires later (every call) is auth on verify too', async () => {
      server.tokenError = graphErrors.expiredToken;
      const err = await failure(facebook.verify(credentials(), AbortSignal.timeout(5_000)));
      expect(err.kind).toBe('auth');
      expect(err.message).toContain('190/463');
    });

    it('a dropped connection is transient', async () => {
      server.failNext('POST /:id/feed', { lostAfterCreate: true });
      const err = await failure(facebook.publish(input({ text: 'Hello' })));
      expect(err.kind).toBe('transient');
    });
  });

  describe('exactly once', () => {
    it('a retry after a lost answer finds the post instead of posting again', async () => {
      server.failNext('POST /:id/feed', { lostAfterCreate: true });
      const lost = await failure(facebook.publish(input({ text: 'Only once, please' })));
      expect(lost.kind).toBe('transient');
      expect(server.posts).toHaveLength(1);
      expect(checkpoint).toMatchObject({ feedStartedAt: expect.any(Number) });

      const retried = await facebook.publish(input({ text: 'Only once, please' }));
      expect(server.posts).toHaveLength(1);
      expect(retried.remoteId).toBe(server.posts[0]?.id);
      expect(server.count('POST /:id/feed')).toBe(1);
    });

    it('reconcile finds the post a crashed attempt created; after a recorded answer it reads the saved id', async () => {
      server.failNext('POST /:id/feed', { lostAfterCreate: true });
      await failure(facebook.publish(input({ text: 'Crash right after' })));
      const found = await facebook.reconcile(input({ text: 'Crash right after' }));
      expect(found).toEqual({ remoteId: server.posts[0]?.id, url: server.posts[0]?.permalink_url });

      checkpoint = undefined;
      const published = await facebook.publish(input({ text: 'Published fine' }, 'dlv_f2'));
      expect(await facebook.reconcile(input({ text: 'Published fine' }, 'dlv_f2'))).toEqual(published);
    });

    it('reconcile ignores an older post with the same text, from before the attempt', async () => {
      await facebook.publish(input({ text: 'Weekly: open Sunday' }, 'dlv_old'));
      checkpoint = { feedStartedAt: Date.now() + 10 * 60_000 };
      expect(await facebook.reconcile(input({ text: 'Weekly: open Sunday' }))).toBeNull();
    });

    it('reconcile is null when no attempt reached the creating call, and publishing then posts', async () => {
      expect(await facebook.reconcile(input({ text: 'Never tried' }))).toBeNull();
      server.failNext('POST /:id/feed', graphErrors.serverError);
      await failure(facebook.publish(input({ text: 'Never tried' })));
      expect(await facebook.reconcile(input({ text: 'Never tried' }))).toBeNull();
      await facebook.publish(input({ text: 'Never tried' }));
      expect(server.posts).toHaveLength(1);
    });

    it('photos saved in the checkpoint are not uploaded again; one whose answer was lost is', async () => {
      const content = { text: 'Three loaves', media: [photoA, photoB, { url: 'https://media.example/c.jpg' }] };
      // Attempt 1: the first photo is saved, the second is created but its answer is lost.
      server.failNext('POST /:id/photos', { lostAfterCreate: true }, 1);
      expect((await failure(facebook.publish(input(content)))).kind).toBe('transient');
      const [p1, lostPhoto] = [...server.photos.keys()];
      expect(checkpoint).toEqual({ photoIds: [p1] });

      // Attempt 2: photos 2 and 3 uploaded, then the feed post fails.
      server.failNext('POST /:id/feed', graphErrors.serverError);
      expect((await failure(facebook.publish(input(content)))).kind).toBe('transient');
      const [, , p3, p4] = [...server.photos.keys()];
      expect(checkpoint).toMatchObject({ photoIds: [p1, p3, p4], feedStartedAt: expect.any(Number) });

      // Attempt 3: nothing uploaded, the saved photos attached in order.
      const result = await facebook.publish(input(content));
      expect(server.count('POST /:id/photos')).toBe(4);
      expect(server.posts).toHaveLength(1);
      expect(server.posts[0]?.photoIds).toEqual([p1, p3, p4]);
      expect(server.photos.get(lostPhoto ?? '')?.page_story_id).toBeNull();
      expect(result.remoteId).toBe(server.posts[0]?.id);
    });

    it('a photo post lost after creation is found through its first photo', async () => {
      server.failNext('POST /:id/feed', { lostAfterCreate: true });
      await failure(facebook.publish(input({ text: '', media: [photoA, photoB] })));
      expect(server.posts).toHaveLength(1);
      const retried = await facebook.publish(input({ text: '', media: [photoA, photoB] }));
      expect(retried.remoteId).toBe(server.posts[0]?.id);
      expect(server.posts).toHaveLength(1);
      expect(server.count('POST /:id/photos')).toBe(2);
      expect(server.count('GET /:id/published_posts')).toBe(0);
    });

    it('a video whose answer was lost is found among the Page videos, not uploaded twice', async () => {
      server.failNext('POST /:id/videos', { lostAfterCreate: true });
      await failure(facebook.publish(input({ text: 'Oven tour', media: [video] })));
      const found = await facebook.reconcile(input({ text: 'Oven tour', media: [video] }));
      const [v] = [...server.videos.values()];
      expect(found?.remoteId).toBe(`${server.pageId}_${v?.id}`);
      const retried = await facebook.publish(input({ text: 'Oven tour', media: [video] }));
      expect(retried).toEqual(found);
      expect(server.videos.size).toBe(1);
    });
  });
});
