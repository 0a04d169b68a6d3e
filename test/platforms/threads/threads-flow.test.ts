import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/core/errors.js';
import type { Account } from '../../../src/core/post.js';
import type { Platform, PublishInput } from '../../../src/platforms/platform.js';
import type { ResolvedContent } from '../../../src/core/content.js';
import { createThreadsPlatform } from '../../../src/platforms/threads/threads-platform.js';
import { FakeMetaGraphServer, metaErrors } from '../../fakes/fake-meta-graph-server.js';

const account = { id: 'acc_threads', platform: 'threads', handle: 'alice' } as Account;
const HOUR = 3_600_000;

describe('Threads adapter against FakeMetaGraphServer', () => {
  let graph: FakeMetaGraphServer;
  let threads: Platform;
  let checkpoint: Record<string, unknown> | undefined;
  let waits: number[];

  beforeEach(async () => {
    graph = await new FakeMetaGraphServer().start();
    checkpoint = undefined;
    waits = [];
    threads = createThreadsPlatform({
      fetch,
      timeoutMs: 5_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  });
  afterEach(() => graph.stop());

  const creds = () => ({ userId: graph.userId, accessToken: graph.token, apiUrl: graph.url });
  const input = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}): PublishInput => ({
    deliveryId: 'dlv_th1',
    key: 'dlv_th1',
    content: { ...content, text: content.text ?? '', media: content.media ?? [] },
    account,
    credentials: creds(),
    saveCredentials: async () => {},
    checkpoint,
    saveCheckpoint: async (data) => {
      checkpoint = data;
    },
    loadMedia: async () => {
      throw new Error('Threads fetches media by URL itself');
    },
    signal: AbortSignal.timeout(10_000),
    ...more,
  });
  /** What the next attempt for the same key gets: the checkpoint saved so far. */
  const again = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}) =>
    input(content, { checkpoint, ...more });
  const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('expected a failure')).catch((e) => e);

  it('publishes text: container, checkpoint, status, quota, publish, permalink', async () => {
    const result = await threads.publish(input({ text: 'Hello Threads' }));
    const [post] = graph.published;
    expect(post).toMatchObject({ text: 'Hello Threads', mediaType: 'TEXT', replyTo: null });
    expect(result).toEqual({ remoteId: post!.id, url: post!.permalink });
    expect(checkpoint).toEqual({ containerId: expect.any(String), createdAt: expect.any(String) });
    expect(graph.requests).toEqual([
      'POST /{id}/threads',
      'GET /{id}',
      'GET /{id}/threads_publishing_limit',
      'POST /{id}/threads_publish',
      'GET /{id}',
    ]);
  });

  it('publishes an image with its alt text', async () => {
    await threads.publish(input({ text: 'look', media: [{ url: 'https://m.example/a.png', alt: 'A cat' }] }));
    expect(graph.published[0]).toMatchObject({ mediaType: 'IMAGE', altText: 'A cat', text: 'look' });
  });

  it('waits while a video container is IN_PROGRESS, with growing pauses, then publishes it', async () => {
    graph.nextStatuses = ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS'];
    await threads.publish(input({ text: 'clip', media: [{ url: 'https://m.example/clip.mp4' }] }));
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(graph.published[0]).toMatchObject({ mediaType: 'VIDEO' });
  });

  it('a video told apart by mimeType, not extension', async () => {
    await threads.publish(
      input({ text: 'clip', media: [{ url: 'https://m.example/signed?id=1', mimeType: 'video/mp4' }] }),
    );
    expect(graph.containers.get(checkpoint?.containerId as string)?.params).toMatchObject({
      media_type: 'VIDEO',
      video_url: 'https://m.example/signed?id=1',
    });
  });

  it('stops waiting within its bound and the next attempt resumes the same container', async () => {
    graph.nextStatuses = Array.from({ length: 12 }, () => 'IN_PROGRESS' as const);
    const err = await failure(
      threads.publish(input({ text: 'long video', media: [{ url: 'https://m.example/v.mp4' }] })),
    );
    expect(err.kind).toBe('transient');
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000);
    await threads.publish(again({ text: 'long video', media: [{ url: 'https://m.example/v.mp4' }] }));
    expect(graph.containers.size).toBe(1);
    expect(graph.published).toHaveLength(1);
  });

  it('publishes a carousel of children marked as carousel items', async () => {
    const media = [
      { url: 'https://m.example/a.png', alt: 'A' },
      { url: 'https://m.example/b.png' },
      { url: 'https://m.example/c.mp4' },
    ];
    await threads.publish(input({ text: 'three', media }));
    const [post] = graph.published;
    expect(post).toMatchObject({ mediaType: 'CAROUSEL', text: 'three' });
    const kids = post!.children.map((id) => graph.containers.get(id)!.params);
    expect(kids.map((p) => [p.media_type, p.is_carousel_item, p.alt_text])).toEqual([
      ['IMAGE', 'true', 'A'],
      ['IMAGE', 'true', undefined],
      ['VIDEO', 'true', undefined],
    ]);
  });

  it('waits for every carousel item to be ready before making the carousel', async () => {
    graph.nextStatuses = ['IN_PROGRESS'];
    await threads.publish(
      input({ text: '', media: [{ url: 'https://m.example/a.png' }, { url: 'https://m.example/v.mov' }] }),
    );
    expect(graph.published[0]?.mediaType).toBe('CAROUSEL');
  });

  it('a carousel whose item outlasts one attempt keeps its items for the next attempt', async () => {
    const media = [{ url: 'https://m.example/v.mp4' }, { url: 'https://m.example/b.png' }];
    graph.nextStatuses = Array.from({ length: 12 }, () => 'IN_PROGRESS' as const);
    const err = await failure(threads.publish(input({ text: 'album', media })));
    expect(err.kind).toBe('transient');
    const saved = (checkpoint as { children: string[] }).children;
    expect(saved).toHaveLength(1);
    graph.nextStatuses = [];
    graph.containers.get(saved[0]!)!.pending = [];
    await threads.publish(again({ text: 'album', media }));
    expect(graph.published[0]?.children[0]).toBe(saved[0]);
    expect(graph.containers.size).toBe(3);
  });

  it('chains a thread: each part replies to the one before', async () => {
    const root = await threads.publish(input({ text: 'part 1' }));
    checkpoint = undefined;
    const second = await threads.publish(
      input({ text: 'part 2' }, { key: 'dlv_th1.1', replyTo: { root, parent: root } }),
    );
    checkpoint = undefined;
    await threads.publish(input({ text: 'part 3' }, { key: 'dlv_th1.2', replyTo: { root, parent: second } }));
    expect(graph.published.map((p) => [p.text, p.replyTo])).toEqual([
      ['part 3', second.remoteId],
      ['part 2', root.remoteId],
      ['part 1', null],
    ]);
    expect(graph.requests).toContain('GET /{id}/threads_publishing_limit');
    expect(graph.replyQuota.usage).toBe(2);
  });

  it("a container in ERROR is invalid with Meta's reason, and nothing is published", async () => {
    graph.nextFinal = 'ERROR';
    const err = await failure(threads.publish(input({ text: 'x', media: [{ url: 'https://m.example/v.mp4' }] })));
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe('Threads could not process the media: FAILED_DOWNLOADING_VIDEO.');
    expect(graph.published).toHaveLength(0);
  });

  it('an EXPIRED container is dropped and made anew', async () => {
    graph.nextFinal = 'EXPIRED';
    await threads.publish(input({ text: 'late' }));
    expect(graph.containers.size).toBe(2);
    expect(graph.published).toHaveLength(1);
    expect(checkpoint?.containerId).toBe(graph.containers.get(checkpoint?.containerId as string)?.id);
  });

  it('a checkpointed container that EXPIRED meanwhile is replaced on the next attempt', async () => {
    graph.failNext('GET /{id}/threads_publishing_limit', metaErrors.serverError());
    await failure(threads.publish(input({ text: 'retry me' })));
    const first = checkpoint?.containerId as string;
    graph.containers.get(first)!.final = 'EXPIRED';
    await threads.publish(again({ text: 'retry me' }));
    expect(checkpoint?.containerId).not.toBe(first);
    expect(graph.published).toHaveLength(1);
  });

  it('a full quota is rate_limited until the oldest post leaves the 24 h window; nothing is published', async () => {
    graph.quota = { usage: 250, total: 250, duration: 86_400 };
    graph.seedPublished('old', 23 * HOUR);
    graph.seedPublished('newer', 2 * HOUR);
    const err = await failure(threads.publish(input({ text: 'too many' })));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThan(59 * 60_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(HOUR);
    expect(err.message).toContain('250 of 250 in 24 h');
    expect(graph.published).toHaveLength(2);
    expect(graph.requests).not.toContain('POST /{id}/threads_publish');
  });

  it('a full reply quota holds back the replies only', async () => {
    const root = await threads.publish(input({ text: 'root' }));
    graph.replyQuota.usage = graph.replyQuota.total;
    checkpoint = undefined;
    const err = await failure(
      threads.publish(input({ text: 'reply' }, { key: 'k.1', replyTo: { root, parent: root } })),
    );
    expect(err.kind).toBe('rate_limited');
    expect(err.message).toContain('1000 of 1000 replies');
  });

  it('retries "media not found" right after FINISHED, then publishes once', async () => {
    graph.nextNotFound = 1;
    await threads.publish(input({ text: 'eventually' }));
    expect(graph.published).toHaveLength(1);
    expect(graph.requests.filter((r) => r === 'POST /{id}/threads_publish')).toHaveLength(2);
    expect(waits).toEqual([5_000]);
  });

  it('"media not found" that lasts is transient after a few tries; the next attempt publishes the same container', async () => {
    graph.nextNotFound = 5;
    const err = await failure(threads.publish(input({ text: 'never there' })));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('Threads does not find the processed media yet; retried later.');
    expect(graph.published).toHaveLength(0);
    await threads.publish(again({ text: 'never there' }));
    expect(graph.containers.size).toBe(1);
    expect(graph.published).toHaveLength(1);
  });

  it('a lost answer to publish: reconcile and the retry find the post, never a second one', async () => {
    graph.failNext('POST /{id}/threads_publish', metaErrors.lostAnswer());
    const lost = await failure(threads.publish(input({ text: 'exactly once' })));
    expect(lost.kind).toBe('transient');
    expect(graph.published).toHaveLength(1);
    const [post] = graph.published;
    expect(await threads.reconcile(again({ text: 'exactly once' }))).toEqual({
      remoteId: post!.id,
      url: post!.permalink,
    });
    const retried = await threads.publish(again({ text: 'exactly once' }));
    expect(retried).toEqual({ remoteId: post!.id, url: post!.permalink });
    expect(graph.published).toHaveLength(1);
  });

  it('reconcile ignores an older post with the same text', async () => {
    const older = graph.seedPublished('gm', 2 * HOUR);
    graph.failNext('POST /{id}/threads_publish', metaErrors.lostAnswer());
    await failure(threads.publish(input({ text: 'gm' })));
    const found = await threads.reconcile(again({ text: 'gm' }));
    expect(found?.remoteId).not.toBe(older.id);
    expect(found?.remoteId).toBe(graph.published[0]?.id);
  });

  it('reconcile finds a lost reply among the replies', async () => {
    const root = await threads.publish(input({ text: 'root' }));
    checkpoint = undefined;
    graph.failNext('POST /{id}/threads_publish', metaErrors.lostAnswer());
    const part = { text: 'the reply' };
    await failure(threads.publish(input(part, { key: 'k.1', replyTo: { root, parent: root } })));
    const found = await threads.reconcile(again(part, { key: 'k.1', replyTo: { root, parent: root } }));
    expect(found?.remoteId).toBe(graph.published[0]?.id);
    expect(graph.published[0]?.replyTo).toBe(root.remoteId);
  });

  it('reconcile says nothing went out without a container, or with one not published; a FINISHED one is published as it is', async () => {
    expect(await threads.reconcile(input({ text: 'never' }))).toBeNull();
    graph.failNext('GET /{id}/threads_publishing_limit', metaErrors.serverError());
    expect((await failure(threads.publish(input({ text: 'second try' })))).kind).toBe('transient');
    expect(await threads.reconcile(again({ text: 'second try' }))).toBeNull();
    await threads.publish(again({ text: 'second try' }));
    expect(graph.containers.size).toBe(1);
    expect(graph.published).toHaveLength(1);
  });

  it.each([
    ['expired token (190)', 'auth', metaErrors.expiredToken(), undefined],
    ['app limit (4)', 'rate_limited', metaErrors.appRateLimit(), 3_600_000],
    ['user limit (17) with usage header', 'rate_limited', metaErrors.userRateLimit(17), 17 * 60_000],
    ['HTTP 429 with Retry-After', 'rate_limited', metaErrors.tooManyRequests(120), 120_000],
    ['HTTP 500', 'transient', metaErrors.serverError(), undefined],
    ['invalid parameter (100)', 'invalid', metaErrors.invalidParameter('Param text is invalid'), undefined],
  ] as const)('maps %s to %s, never echoing the token', async (_name, kind, answer, retryAfterMs) => {
    graph.failNext('POST /{id}/threads', answer);
    const err = await failure(threads.publish(input({ text: 'x' })));
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe(kind);
    expect(err.retryAfterMs).toBe(retryAfterMs);
    expect(err.message).not.toContain(graph.token);
    expect(graph.published).toHaveLength(0);
  });

  it('a network failure mid-call is transient', async () => {
    graph.failNext('POST /{id}/threads', metaErrors.dropConnection());
    const err = await failure(threads.publish(input({ text: 'x' })));
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('Threads could not be reached (POST /{id}/threads).');
  });

  it('verify: the handle and id for a good token, auth for an expired one, auth for malformed credentials', async () => {
    const profile = await threads.verify(
      { accessToken: graph.token, userId: 'me', apiUrl: graph.url },
      AbortSignal.timeout(5_000),
    );
    expect(profile).toMatchObject({ handle: 'alice', remoteId: '42', credentials: { userId: '42' } });
    const expired = await failure(threads.verify({ ...creds(), accessToken: 'old' }, AbortSignal.timeout(5_000)));
    expect(expired.kind).toBe('auth');
    const malformed = await failure(threads.verify({ userId: '42', accessToken: '' }, AbortSignal.timeout(5_000)));
    expect(malformed.kind).toBe('auth');
    expect(malformed.message).toBe('Threads credentials are incomplete or malformed (accessToken).');
  });

  it("a text post's first link goes as its link_attachment card, read back as link_attachment_url", async () => {
    const text = 'Release notes: https://example.com/releases/2.0. Mirror: https://mirror.example/2.0';
    const result = await threads.publish(input({ text }));
    expect(graph.published[0]).toMatchObject({ text, linkAttachment: 'https://example.com/releases/2.0' });
    const read = await fetch(`${graph.url}/${result.remoteId}?fields=link_attachment_url&access_token=${graph.token}`);
    expect(await read.json()).toMatchObject({ link_attachment_url: 'https://example.com/releases/2.0' });
  });

  it('no link card when the request said linkPreview: false, nor on a post with media', async () => {
    await threads.publish(input({ text: 'plain https://example.com/a', linkPreview: false }));
    checkpoint = undefined;
    await threads.publish(
      input({ text: 'pic https://example.com/b', media: [{ url: 'https://m.example/a.png' }] }, { key: 'k2' }),
    );
    expect(graph.published.map((p) => p.linkAttachment)).toEqual([null, null]);
    const params = [...graph.containers.values()].map((c) => c.params.link_attachment);
    expect(params).toEqual([undefined, undefined]);
  });

  it('the fake refuses link_attachment on a media post, as Threads documents it for TEXT posts only', async () => {
    const res = await fetch(`${graph.url}/${graph.userId}/threads`, {
      method: 'POST',
      body: new URLSearchParams({
        media_type: 'IMAGE',
        image_url: 'https://m.example/a.png',
        link_attachment: 'https://example.com',
        access_token: graph.token,
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: 100,
      message: expect.stringContaining('TEXT posts'),
    });
  });
});
