import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/core/errors.js';
import type { Account } from '../../../src/core/post.js';
import { createInstagramPlatform } from '../../../src/platforms/instagram/instagram-platform.js';
import type { Platform, PublishInput } from '../../../src/platforms/platform.js';
import type { ResolvedContent } from '../../../src/core/content.js';
import { FakeMetaGraphServer, metaErrors } from '../../fakes/fake-meta-graph-server.js';

const account = { id: 'acc_ig', platform: 'instagram', handle: 'alice' } as Account;
const HOUR = 3_600_000;
const photo = { url: 'https://m.example/a.jpg', alt: 'A cat on a chair' };

describe('Instagram adapter against FakeMetaGraphServer', () => {
  let graph: FakeMetaGraphServer;
  let instagram: Platform;
  let checkpoint: Record<string, unknown> | undefined;
  let waits: number[];

  beforeEach(async () => {
    graph = await new FakeMetaGraphServer().start();
    checkpoint = undefined;
    waits = [];
    instagram = createInstagramPlatform({
      fetch,
      timeoutMs: 5_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  });
  afterEach(() => graph.stop());

  const creds = () => ({ igUserId: graph.userId, accessToken: graph.token, apiUrl: graph.url });
  const input = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}): PublishInput => ({
    deliveryId: 'dlv_ig1',
    key: 'dlv_ig1',
    content: { text: content.text ?? '', media: content.media ?? [] },
    account,
    credentials: creds(),
    saveCredentials: async () => {},
    checkpoint,
    saveCheckpoint: async (data) => {
      checkpoint = data;
    },
    loadMedia: async () => {
      throw new Error('Instagram fetches media by URL itself');
    },
    signal: AbortSignal.timeout(10_000),
    ...more,
  });
  const again = (content: Partial<ResolvedContent>) => input(content, { checkpoint });
  const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('expected a failure')).catch((e) => e);

  it('publishes an image with caption and alt text through media, the limit, media_publish and the permalink', async () => {
    const result = await instagram.publish(input({ text: 'Caption', media: [photo] }));
    const [post] = graph.published;
    expect(post).toMatchObject({ text: 'Caption', altText: 'A cat on a chair', mediaType: 'IMAGE' });
    expect(result).toEqual({ remoteId: post!.id, url: post!.permalink });
    expect(graph.requests).toEqual([
      'POST /{id}/media',
      'GET /{id}',
      'GET /{id}/content_publishing_limit',
      'POST /{id}/media_publish',
      'GET /{id}',
    ]);
    const params = graph.containers.get(checkpoint?.containerId as string)?.params;
    expect(params).toMatchObject({ image_url: photo.url, caption: 'Caption', alt_text: photo.alt });
  });

  it('publishes a video as a reel after polling status_code', async () => {
    graph.nextStatuses = ['IN_PROGRESS', 'IN_PROGRESS'];
    await instagram.publish(input({ text: 'reel', media: [{ url: 'https://m.example/v.mp4' }] }));
    expect(graph.published[0]?.mediaType).toBe('REELS');
    expect(waits).toEqual([1_000, 2_000]);
  });

  it('publishes a carousel: children as carousel items (videos as VIDEO), then CAROUSEL', async () => {
    await instagram.publish(
      input({ text: 'set', media: [photo, { url: 'https://m.example/b.mov' }, { url: 'https://m.example/c.png' }] }),
    );
    const [post] = graph.published;
    expect(post).toMatchObject({ mediaType: 'CAROUSEL', text: 'set' });
    expect(post!.children.map((id) => graph.containers.get(id)!.params.media_type)).toEqual([
      'IMAGE',
      'VIDEO',
      'IMAGE',
    ]);
    expect(graph.containers.get(post!.children[0]!)?.params.alt_text).toBe(photo.alt);
  });

  it('reads the publishing limit instead of assuming one, and waits until a slot frees', async () => {
    graph.quota = { usage: 50, total: 50, duration: 86_400 };
    graph.seedPublished('oldest', 21 * HOUR);
    const err = await failure(instagram.publish(input({ text: 'x', media: [photo] })));
    expect(err.kind).toBe('rate_limited');
    expect(err.message).toContain('50 of 50');
    expect(err.retryAfterMs).toBeGreaterThan(2.9 * HOUR);
    expect(err.retryAfterMs).toBeLessThanOrEqual(3 * HOUR);
    expect(graph.requests).not.toContain('POST /{id}/media_publish');
  });

  it("Instagram's own limit answer at publish (9/2207042) is rate_limited too", async () => {
    graph.failNext('POST /{id}/media_publish', {
      status: 400,
      body: {
        error: {
          message: 'You reached maximum number of posts',
          type: 'OAuthException',
          code: 9,
          error_subcode: 2207042,
        },
      },
    });
    const err = await failure(instagram.publish(input({ text: 'x', media: [photo] })));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(HOUR);
  });

  it('"not ready" right after FINISHED is retried', async () => {
    graph.failNext('POST /{id}/media_publish', {
      status: 400,
      body: { error: { message: 'The media is not ready for publishing', code: 9007, error_subcode: 2207027 } },
    });
    await instagram.publish(input({ text: 'x', media: [photo] }));
    expect(graph.published).toHaveLength(1);
  });

  it("a container in ERROR is invalid with Meta's reason; an EXPIRED one is made anew", async () => {
    graph.nextFinal = 'ERROR';
    const err = await failure(instagram.publish(input({ text: 'x', media: [{ url: 'https://m.example/v.mp4' }] })));
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe('invalid');
    // An IG Container says why in `status` (it has no `error_message`).
    expect(err.message).toBe(
      'Instagram could not process the media: Error: Media upload has failed with error code 2207026.',
    );
    checkpoint = undefined;
    graph.nextFinal = 'EXPIRED';
    await instagram.publish(input({ text: 'late', media: [photo] }, { key: 'k2' }));
    expect(graph.published.map((p) => p.text)).toEqual(['late']);
  });

  it('a lost answer to media_publish: reconcile finds the post and the retry does not post again', async () => {
    graph.failNext('POST /{id}/media_publish', metaErrors.lostAnswer());
    const content = { text: 'once', media: [photo] };
    expect((await failure(instagram.publish(input(content)))).kind).toBe('transient');
    const [post] = graph.published;
    expect(await instagram.reconcile(again(content))).toEqual({ remoteId: post!.id, url: post!.permalink });
    expect(await instagram.publish(again(content))).toEqual({ remoteId: post!.id, url: post!.permalink });
    expect(graph.published).toHaveLength(1);
  });

  it('reconcile without a checkpoint is null: nothing can have been published', async () => {
    expect(await instagram.reconcile(input({ text: 'x', media: [photo] }))).toBeNull();
  });

  it.each([
    ['an expired token', 'auth', metaErrors.expiredToken()],
    ['code 4', 'rate_limited', metaErrors.appRateLimit()],
    ['code 17', 'rate_limited', metaErrors.userRateLimit(5)],
    ['HTTP 429', 'rate_limited', metaErrors.tooManyRequests(30)],
    ['HTTP 500', 'transient', metaErrors.serverError()],
  ] as const)('maps %s on container creation to %s', async (_name, kind, answer) => {
    graph.failNext('POST /{id}/media', answer);
    const err = await failure(instagram.publish(input({ text: 'x', media: [photo] })));
    expect(err.kind).toBe(kind);
    expect(err.message).not.toContain(graph.token);
  });

  it('verify reads the IG user; a bad token is auth', async () => {
    expect(await instagram.verify(creds(), AbortSignal.timeout(5_000))).toMatchObject({
      handle: 'alice',
      remoteId: '42',
    });
    const err = await failure(instagram.verify({ ...creds(), accessToken: 'old' }, AbortSignal.timeout(5_000)));
    expect(err.kind).toBe('auth');
    const malformed = await failure(instagram.verify({ accessToken: 'x' }, AbortSignal.timeout(5_000)));
    expect(malformed.message).toBe('Instagram credentials are incomplete or malformed (igUserId).');
  });

  it('asks a container only for fields an IG Container has; the fake refuses others as Meta does', async () => {
    await instagram.publish(input({ text: 'fields', media: [photo] }));
    const id = checkpoint?.containerId as string;
    const ask = (fields: string) =>
      fetch(`${graph.url}/${id}?fields=${fields}&access_token=${graph.token}`).then(async (r) => [
        r.status,
        await r.json(),
      ]);
    expect(await ask('status_code,status')).toEqual([200, { id, status_code: 'PUBLISHED', status: 'PUBLISHED' }]);
    expect(await ask('status_code,error_message')).toEqual([
      400,
      {
        error: expect.objectContaining({
          code: 100,
          message: 'Tried accessing nonexisting field (error_message) on node type (IGContainer)',
        }),
      },
    ]);
  });

  it('a reel is REELS with its video_url and no alt text; a VIDEO outside a carousel is refused by the fake', async () => {
    await instagram.publish(
      input({ text: 'reel', media: [{ url: 'https://m.example/r', mimeType: 'video/mp4', alt: 'ignored' }] }),
    );
    const params = graph.containers.get(checkpoint?.containerId as string)?.params;
    expect(params).toMatchObject({ media_type: 'REELS', video_url: 'https://m.example/r', caption: 'reel' });
    expect(params?.alt_text).toBeUndefined();
    const res = await fetch(`${graph.url}/${graph.userId}/media`, {
      method: 'POST',
      body: new URLSearchParams({ media_type: 'VIDEO', video_url: 'https://m.example/r', access_token: graph.token }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('use REELS');
  });
});
