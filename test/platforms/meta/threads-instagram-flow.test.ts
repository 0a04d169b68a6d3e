import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/core/errors.js';
import type { Account } from '../../../src/core/post.js';
import { createInstagramPlatform } from '../../../src/platforms/instagram/instagram-platform.js';
import type { Platform, PublishInput, ResolvedContent } from '../../../src/platforms/platform.js';
import { createThreadsPlatform } from '../../../src/platforms/threads/threads-platform.js';
import { FakeMetaGraphServer } from '../../fakes/fake-meta-graph-server.js';

const account = { id: 'acc_t', platform: 'threads', handle: 'alice' } as Account;

describe('Threads and Instagram adapters against FakeMetaGraphServer', () => {
  let graph: FakeMetaGraphServer;
  let threads: Platform;
  let instagram: Platform;
  let checkpoint: Record<string, unknown> | undefined;
  let sleeps: number;

  beforeEach(async () => {
    graph = await new FakeMetaGraphServer().start();
    checkpoint = undefined;
    sleeps = 0;
    const deps = {
      fetch,
      timeoutMs: 5_000,
      sleep: async () => {
        sleeps++;
      },
    };
    threads = createThreadsPlatform(deps);
    instagram = createInstagramPlatform(deps);
  });
  afterEach(() => graph.stop());

  const threadsCreds = () => ({ userId: '42', accessToken: graph.token, apiUrl: graph.url });
  const igCreds = () => ({ igUserId: '42', accessToken: graph.token, apiUrl: graph.url });
  const input = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}): PublishInput => ({
    deliveryId: 'dlv_t1',
    key: 'dlv_t1',
    content: { text: content.text ?? '', media: content.media ?? [] },
    account,
    credentials: threadsCreds(),
    saveCredentials: async () => {},
    checkpoint,
    saveCheckpoint: async (data) => {
      checkpoint = data;
    },
    loadMedia: async () => {
      throw new Error('Graph platforms fetch media by URL themselves');
    },
    signal: AbortSignal.timeout(5_000),
    ...more,
  });
  /** The same input an attempt after a crash gets: the checkpoint saved so far. */
  const again = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}) =>
    input(content, { checkpoint, ...more });

  describe('Threads', () => {
    it('validates: 500 characters, 20 items, never empty', async () => {
      const ctx = { account, credentials: threadsCreds(), signal: AbortSignal.timeout(1000) };
      expect(await threads.validate({ text: 'x'.repeat(541), media: [] }, ctx)).toEqual([
        { field: 'text', code: 'content_too_long', message: 'Too long for Threads by 41 characters (541 of 500).' },
      ]);
      const many = Array.from({ length: 21 }, (_, i) => ({ url: `https://m/${i}.png` }));
      expect((await threads.validate({ text: 'ok', media: many }, ctx))[0]?.field).toBe('media');
      expect((await threads.validate({ text: ' ', media: [] }, ctx))[0]?.code).toBe('invalid_request');
      expect(await threads.rules(ctx)).toMatchObject({ maxLength: 500, threads: true });
    });

    it('publishes text: container, status, quota, publish, permalink', async () => {
      const result = await threads.publish(input({ text: 'Hello Threads' }));
      expect(graph.published).toHaveLength(1);
      expect(graph.published[0]).toMatchObject({ text: 'Hello Threads', mediaType: 'TEXT' });
      expect(result).toEqual({ remoteId: graph.published[0]!.id, url: graph.published[0]!.permalink });
      expect(checkpoint).toEqual({ containerId: expect.any(String) });
      expect(graph.requests).toEqual([
        'POST /{id}/threads',
        'GET /{id}',
        'GET /{id}/threads_publishing_limit',
        'POST /{id}/threads_publish',
        'GET /{id}',
      ]);
    });

    it('waits while a video container is IN_PROGRESS, then publishes it', async () => {
      graph.nextStatuses = ['IN_PROGRESS', 'IN_PROGRESS'];
      await threads.publish(input({ text: 'clip', media: [{ url: 'https://m/clip.mp4' }] }));
      expect(sleeps).toBe(2);
      expect(graph.published[0]).toMatchObject({ mediaType: 'VIDEO' });
    });

    it('publishes a carousel of children marked as carousel items', async () => {
      await threads.publish(
        input({
          text: 'three',
          media: [{ url: 'https://m/a.png', alt: 'A' }, { url: 'https://m/b.png' }, { url: 'https://m/c.mp4' }],
        }),
      );
      const [post] = graph.published;
      expect(post).toMatchObject({ mediaType: 'CAROUSEL' });
      expect(post!.children).toHaveLength(3);
      const kids = post!.children.map((id) => graph.containers.get(id)!.params);
      expect(kids.map((p) => [p.media_type, p.is_carousel_item])).toEqual([
        ['IMAGE', 'true'],
        ['IMAGE', 'true'],
        ['VIDEO', 'true'],
      ]);
      expect(kids[0]?.alt_text).toBe('A');
    });

    it('chains a reply to the parent post', async () => {
      const root = await threads.publish(input({ text: 'part 1' }));
      checkpoint = undefined;
      await threads.publish(input({ text: 'part 2' }, { key: 'dlv_t1.1', replyTo: { root, parent: root } }));
      expect(graph.published[0]).toMatchObject({ text: 'part 2', replyTo: root.remoteId });
    });

    it("a container in ERROR is an invalid error with Meta's reason", async () => {
      graph.nextFinal = 'ERROR';
      const err = await threads.publish(input({ text: 'x', media: [{ url: 'https://m/a.png' }] })).catch((e) => e);
      expect(err).toBeInstanceOf(PlatformError);
      expect(err.kind).toBe('invalid');
      expect(err.message).toContain('could not be downloaded');
      expect(graph.published).toHaveLength(0);
    });

    it('an EXPIRED container is made anew, once', async () => {
      graph.nextFinal = 'EXPIRED';
      await threads.publish(input({ text: 'late' }));
      expect(graph.containers.size).toBe(2);
      expect(graph.published).toHaveLength(1);
    });

    it('a full publishing quota is rate_limited with a wait, not a failure, and nothing is published', async () => {
      graph.quota.usage = 250;
      const err = await threads.publish(input({ text: 'too many' })).catch((e) => e);
      expect(err.kind).toBe('rate_limited');
      expect(err.retryAfterMs).toBeGreaterThanOrEqual(60_000);
      expect(err.message).toContain('250 of 250');
      expect(graph.published).toHaveLength(0);
    });

    it('retries "media not found" right after FINISHED', async () => {
      graph.failNext('POST /{id}/threads_publish', {
        status: 400,
        error: { message: 'The requested resource does not exist', code: 24, error_subcode: 4279009 },
      });
      await threads.publish(input({ text: 'eventually' }));
      expect(graph.published).toHaveLength(1);
    });

    it('a lost answer to publish: the retry finds the post from the PUBLISHED container, no second post', async () => {
      graph.failNext('POST /{id}/threads_publish', { status: 200, lostAfterPublish: true });
      const lost = await threads.publish(input({ text: 'exactly once' })).catch((e) => e);
      expect(lost.kind).toBe('transient');
      expect(await threads.reconcile(again({ text: 'exactly once' }))).toEqual({
        remoteId: graph.published[0]!.id,
        url: graph.published[0]!.permalink,
      });
      const retried = await threads.publish(again({ text: 'exactly once' }));
      expect(graph.published).toHaveLength(1);
      expect(retried.remoteId).toBe(graph.published[0]!.id);
    });

    it('reconcile without a container says nothing was published; a FINISHED container is published, not recreated', async () => {
      expect(await threads.reconcile(input({ text: 'never' }))).toBeNull();
      graph.failNext('GET /{id}/threads_publishing_limit', { status: 500, error: { message: 'oops', code: 1 } });
      expect((await threads.publish(input({ text: 'second try' })).catch((e) => e)).kind).toBe('transient');
      expect(await threads.reconcile(again({ text: 'second try' }))).toBeNull();
      await threads.publish(again({ text: 'second try' }));
      expect(graph.containers.size).toBe(1);
      expect(graph.published).toHaveLength(1);
    });

    it.each([
      [{ status: 400, error: { message: 'Error validating access token', code: 190, error_subcode: 463 } }, 'auth'],
      [{ status: 400, error: { message: 'Application request limit reached', code: 4 } }, 'rate_limited'],
      [
        { status: 429, error: { message: 'Too many calls', code: 17 }, headers: { 'retry-after': '120' } },
        'rate_limited',
      ],
      [{ status: 500, error: { message: 'An unknown error occurred', code: 1 } }, 'transient'],
      [{ status: 400, error: { message: 'Param text must be at most 500 characters long', code: 100 } }, 'invalid'],
    ] as const)('maps a Graph error %o to %s, never echoing the token', async (answer, kind) => {
      graph.failNext('POST /{id}/threads', answer);
      const err = await threads.publish(input({ text: 'x' })).catch((e) => e);
      expect(err).toBeInstanceOf(PlatformError);
      expect(err.kind).toBe(kind);
      expect(err.message).not.toContain(graph.token);
      if ('headers' in answer) expect(err.retryAfterMs).toBe(120_000);
    });

    it('an expired token on verify is auth', async () => {
      const err = await threads
        .verify({ userId: '42', accessToken: 'old', apiUrl: graph.url }, AbortSignal.timeout(5_000))
        .catch((e) => e);
      expect(err.kind).toBe('auth');
      expect((await threads.verify(threadsCreds(), AbortSignal.timeout(5_000))).handle).toBe('alice');
    });
  });

  describe('Instagram', () => {
    const ig = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}) =>
      input(content, { credentials: igCreds(), ...more });

    it('requires an image or a video, caption 2,200, carousel 10', async () => {
      const ctx = { account, credentials: igCreds(), signal: AbortSignal.timeout(1000) };
      expect(await instagram.validate({ text: 'words only', media: [] }, ctx)).toEqual([
        { field: 'media', code: 'invalid_request', message: 'An Instagram post needs an image or a video.' },
      ]);
      const caption = await instagram.validate({ text: 'c'.repeat(2300), media: [{ url: 'https://m/a.png' }] }, ctx);
      expect(caption[0]?.message).toBe('Too long for Instagram by 100 characters (2300 of 2200).');
      expect((await instagram.rules(ctx)).threads).toBe(false);
    });

    it('publishes an image with caption and alt text through media and media_publish', async () => {
      const result = await instagram.publish(
        ig({ text: 'Caption', media: [{ url: 'https://m/a.png', alt: 'A cat' }] }),
      );
      expect(graph.requests).toContain('POST /{id}/media');
      expect(graph.requests).toContain('GET /{id}/content_publishing_limit');
      expect(graph.requests).toContain('POST /{id}/media_publish');
      expect(graph.published[0]).toMatchObject({ text: 'Caption', altText: 'A cat' });
      expect(result.remoteId).toBe(graph.published[0]!.id);
    });

    it('publishes a video as a reel and a carousel of up to 10', async () => {
      await instagram.publish(ig({ text: 'reel', media: [{ url: 'https://m/v.mp4' }] }));
      expect(graph.published[0]?.mediaType).toBe('REELS');
      checkpoint = undefined;
      await instagram.publish(
        ig({ text: 'set', media: [{ url: 'https://m/a.png' }, { url: 'https://m/b.mp4' }] }, { key: 'k2' }),
      );
      expect(graph.published[0]?.mediaType).toBe('CAROUSEL');
    });

    it('reads the publishing limit instead of assuming one', async () => {
      graph.quota = { usage: 50, total: 50, duration: 86_400 };
      const err = await instagram.publish(ig({ text: 'x', media: [{ url: 'https://m/a.png' }] })).catch((e) => e);
      expect(err.kind).toBe('rate_limited');
      expect(err.message).toContain('50 of 50');
    });

    it('a lost answer to media_publish leads to reconciliation, not a second post', async () => {
      graph.failNext('POST /{id}/media_publish', { status: 200, lostAfterPublish: true });
      const content = { text: 'once', media: [{ url: 'https://m/a.png' }] };
      expect((await instagram.publish(ig(content)).catch((e) => e)).kind).toBe('transient');
      const found = await instagram.reconcile(ig(content, { checkpoint }));
      expect(found?.remoteId).toBe(graph.published[0]!.id);
      await instagram.publish(ig(content, { checkpoint }));
      expect(graph.published).toHaveLength(1);
    });
  });
});
