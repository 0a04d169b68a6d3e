import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakePlatform } from '../fakes/fake-platform.js';
import { type TestHayon, waitFor } from '../harness.js';
import { startTwoPlatforms } from './two-platforms.js';

// The whole flow on the embedded default (SQLite file, in-process transport, real worker and
// scheduler) against FakePlatform, which fails on demand. Bluesky's own flow runs against a
// real PDS in bluesky-e2e.integration.test.ts.
describe('posts flow (embedded, FakePlatform)', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let mastodon: FakePlatform;

  beforeEach(async () => {
    ({ h, bluesky, mastodon } = await startTwoPlatforms({
      maxAttempts: 3,
      baseDelayMs: 30,
      maxDelayMs: 200,
      jitter: 0,
    }));
  });
  afterEach(async () => h.stop());

  const getPost = async (id: string) => (await h.api('GET', `/v1/posts/${id}`)).json();

  it('publishes a post due now and shows the link per delivery', async () => {
    const res = await h.api('POST', '/v1/posts', { text: 'Hello from hayon', targets: ['bluesky', 'mastodon'] });
    expect(res.status).toBe(202);
    const created = await res.json();
    expect(created.deliveries).toHaveLength(2);
    await h.drain();
    const post = await getPost(created.id);
    expect(post.status).toBe('COMPLETED');
    for (const d of post.deliveries) {
      expect(d.state).toBe('published');
      expect(d.url).toMatch(/^https:\/\/(bluesky|mastodon)\.example\/p\/dlv_/);
    }
    expect(bluesky.posts.size).toBe(1);
    expect(mastodon.posts.size).toBe(1);
  });

  it('echoes the resolved time in the author zone and keeps a scheduled post until it is due', async () => {
    const at = new Date(Date.now() + 1_500).toISOString();
    const res = await h.api('POST', '/v1/posts', {
      text: 'soon',
      targets: ['bluesky'],
      when: at,
      timezone: 'Asia/Tokyo',
    });
    const created = await res.json();
    expect(created.status).toBe('SCHEDULED');
    expect(created.timezone).toBe('Asia/Tokyo');
    expect(created.scheduledAtLocal).toMatch(/\(Asia\/Tokyo\)/);
    expect(bluesky.calls).toBe(0);
    await new Promise((r) => setTimeout(r, 1_700));
    await h.drain();
    const post = await getPost(created.id);
    expect(post.status).toBe('COMPLETED');
    expect(Date.parse(post.deliveries[0].publishedAt)).toBeGreaterThanOrEqual(Date.parse(at));
    // The scheduler sent it 250 ms ahead (its lead); the platform still heard of it no earlier than due.
    expect([...bluesky.posts.values()][0]!.at).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it('a message sent ahead of its due time waits in the worker and is published when due', async () => {
    const at = Date.now() + 400;
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'on time', targets: ['bluesky'], when: new Date(at).toISOString() })
    ).json();
    const [delivery] = await h.ctx.store.takeDue(at, 10);
    expect(delivery?.postId).toBe(created.id);
    await h.ctx.transport.send([
      {
        kind: 'delivery',
        v: 1,
        deliveryId: delivery!.id,
        postId: created.id,
        platform: 'bluesky',
        correlationId: 'c',
        notBefore: at,
      },
    ]);
    await waitFor(async () => bluesky.posts.size === 1);
    const heard = [...bluesky.posts.values()][0]!.at;
    expect(heard).toBeGreaterThanOrEqual(at);
    // By this message, not by the sweeper: a claim refused as early would leave the delivery
    // `queued` until the sweeper sends it again, 5 s (strandedAfterMs) after its due time.
    expect(heard).toBeLessThan(at + 4_000);
    await h.drain();
    expect((await getPost(created.id)).status).toBe('COMPLETED');
    expect(bluesky.calls).toBe(1);
  });

  it('cancels a scheduled post: nothing is posted, and a second cancel is a 409', async () => {
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'never', targets: ['bluesky'], when: 'in 2 hours' })
    ).json();
    const cancelled = await h.api('POST', `/v1/posts/${created.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json()).status).toBe('CANCELLED');
    await h.ctx.scheduler.runOnce();
    await h.drain();
    expect(bluesky.calls).toBe(0);
    const again = await h.api('POST', `/v1/posts/${created.id}/cancel`);
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatchObject({ code: 'not_cancellable', field: 'id' });
    // Nothing is waiting either, so "post now" is a 409 about the same id.
    const hurried = await h.api('POST', `/v1/posts/${created.id}/publish-now`);
    expect(hurried.status).toBe(409);
    expect((await hurried.json()).error).toMatchObject({ code: 'conflict', field: 'id' });
  });

  it.each([
    ['a read of the post fails after the claim', 'getPostAndAccount'],
    ['the claim is applied but its answer is lost', 'claim'],
  ] as const)('%s: the delivery is given back (attempt refunded), not left publishing', async (_, method) => {
    const store = h.ctx.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const original = store[method]!.bind(store);
    let failures = 1;
    store[method] = async (...args) => {
      // The claim goes through before its answer is lost; the read fails before it is made.
      const result = method === 'claim' ? await original(...args) : null;
      if (failures-- > 0) throw new Error('connection reset by the store');
      return method === 'claim' ? result : original(...args);
    };
    const created = await (await h.api('POST', '/v1/posts', { text: 'back', targets: ['bluesky'] })).json();
    await waitFor(async () => (await getPost(created.id)).deliveries[0].state === 'scheduled');
    expect((await getPost(created.id)).deliveries[0]).toMatchObject({ state: 'scheduled', attempts: 0 });
    expect(bluesky.calls).toBe(0);
    expect((await h.api('POST', `/v1/posts/${created.id}/publish-now`)).status).toBe(200);
    await waitFor(async () => (await getPost(created.id)).status === 'COMPLETED');
    expect(bluesky.posts.size).toBe(1);
  });

  // MongoDB writes a post's deliveries before the post (two commands, no transaction): a worker
  // may claim one before its post is there, or after a crash, when it never will be.
  it('a delivery whose post is not stored yet is given back (attempt refunded) and goes out when it is', async () => {
    const store = h.ctx.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const read = store.getPostAndAccount!.bind(store);
    let misses = 2;
    store.getPostAndAccount = async (...args) => (misses-- > 0 ? { post: null, account: null } : read(...args));
    const created = await (await h.api('POST', '/v1/posts', { text: 'soon', targets: ['bluesky'] })).json();
    await waitFor(async () => (await getPost(created.id)).status === 'COMPLETED', 10_000);
    expect((await getPost(created.id)).deliveries[0]).toMatchObject({ state: 'published', attempts: 1 });
    expect(misses).toBeLessThan(0);
    expect(bluesky.posts.size).toBe(1);
  });

  it('a delivery whose post is still missing a minute after it was made fails, saying so, and publishes nothing', async () => {
    const store = h.ctx.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const claim = store.claim!.bind(store);
    store.getPostAndAccount = async () => ({ post: null, account: null });
    store.claim = async (...args) => {
      const claimed = (await claim(...args)) as { delivery: { createdAt: number } } | null;
      if (claimed) claimed.delivery.createdAt -= 61_000;
      return claimed;
    };
    const created = await (await h.api('POST', '/v1/posts', { text: 'never', targets: ['bluesky'] })).json();
    await waitFor(async () => (await getPost(created.id)).deliveries[0].state === 'failed');
    const [delivery] = (await getPost(created.id)).deliveries;
    expect(delivery.error).toMatchObject({ message: 'Its post was never stored (the request that made it failed).' });
    expect(bluesky.calls).toBe(0);
  });

  it('returns the same post for a repeated Idempotency-Key, and 422 for another body with it', async () => {
    const body = { text: 'once', targets: ['bluesky'] };
    const first = await h.api('POST', '/v1/posts', body, { 'idempotency-key': 'k1' });
    const second = await h.api('POST', '/v1/posts', body, { 'idempotency-key': 'k1' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect((await second.json()).id).toBe((await first.json()).id);
    const other = await h.api('POST', '/v1/posts', { ...body, text: 'twice' }, { 'idempotency-key': 'k1' });
    expect(other.status).toBe(422);
    await h.drain();
    expect(bluesky.posts.size).toBe(1);
  });

  it('an auth failure marks the account and the delivery waits for a reconnect instead of retrying; the other target still goes out', async () => {
    bluesky.failNext({ kind: 'auth', status: 401 });
    const created = await (await h.api('POST', '/v1/posts', { text: 'hi', targets: ['bluesky', 'mastodon'] })).json();
    await h.drain();
    const post = await getPost(created.id);
    const waiting = post.deliveries.find((d: { platform: string }) => d.platform === 'bluesky');
    // Waiting, the attempt not counted, until the post's time plus the grace period (24 h).
    expect(waiting).toMatchObject({ state: 'scheduled', attempts: 0, error: { kind: 'auth' } });
    expect(Date.parse(waiting.dueAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(post.deliveries.find((d: { platform: string }) => d.platform === 'mastodon')).toMatchObject({
      state: 'published',
    });
    expect(bluesky.calls).toBe(1);
    const [account] = (await h.ctx.store.listAccounts(h.workspaceId)).filter((a) => a.platform === 'bluesky');
    expect(account?.health).toBe('expired');
    // The next post to that account is refused at the door, saying why.
    const refused = await h.api('POST', '/v1/posts', { text: 'again', targets: ['bluesky'] });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { field: 'targets[0]' } });
  });

  it('retries transient failures and publishes once', async () => {
    bluesky.failNext({ kind: 'transient', status: 503 }, 2);
    const created = await (await h.api('POST', '/v1/posts', { text: 'retry me', targets: ['bluesky'] })).json();
    await h.drain();
    await waitFor(async () => (await getPost(created.id)).status === 'COMPLETED');
    const post = await getPost(created.id);
    expect(post.deliveries[0]).toMatchObject({ state: 'published', attempts: 3 });
    expect(bluesky.calls).toBe(3);
    expect(bluesky.posts.size).toBe(1);
  });

  it('honours retry-after on a rate limit', async () => {
    bluesky.failNext({ kind: 'rate_limited', status: 429, retryAfterMs: 400 });
    const created = await (await h.api('POST', '/v1/posts', { text: 'slow down', targets: ['bluesky'] })).json();
    // The outcome is written after the platform answered: wait for it, not for the call.
    await waitFor(async () => (await getPost(created.id)).deliveries[0].state === 'scheduled' && bluesky.calls === 1);
    const waiting = await getPost(created.id);
    expect(waiting.deliveries[0]).toMatchObject({ state: 'scheduled', attempts: 1, error: { kind: 'rate_limited' } });
    expect(Date.parse(waiting.deliveries[0].dueAt) - Date.now()).toBeGreaterThan(100);
    await waitFor(async () => (await getPost(created.id)).status === 'COMPLETED');
  });

  it('parks a delivery after its last attempt', async () => {
    bluesky.failNext({ kind: 'transient', status: 500 }, 3);
    const created = await (await h.api('POST', '/v1/posts', { text: 'doomed', targets: ['bluesky'] })).json();
    await waitFor(async () => (await getPost(created.id)).status === 'FAILED');
    const post = await getPost(created.id);
    expect(post.deliveries[0].state).toBe('failed');
    expect(post.deliveries[0].error.message).toMatch(/^Gave up after 3 attempts/);
  });

  it('reconciles a delivery whose worker died mid-publish instead of posting again', async () => {
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'crash', targets: ['bluesky'], when: 'in 2 hours' })
    ).json();
    const deliveryId: string = created.deliveries[0].id;
    // A worker that is gone now claimed it, reached the platform, and died before recording.
    const now = Date.now();
    const later = now + 3 * 3_600_000;
    await h.ctx.store.takeDue(later, 10);
    const claim = await h.ctx.store.claim(deliveryId, 'dead-worker', later, now + 50);
    expect(claim).not.toBeNull();
    bluesky.posts.set(deliveryId, { text: 'crash', media: 0, at: now, account: 'x' });
    await waitFor(async () => (await getPost(created.id)).status === 'COMPLETED');
    expect(bluesky.calls).toBe(0);
    expect(bluesky.posts.size).toBe(1);
    const post = await getPost(created.id);
    expect(post.deliveries[0]).toMatchObject({ state: 'published', attempts: 2 });
  });

  it('lists posts newest first and does not show another workspace its posts', async () => {
    const a = await (await h.api('POST', '/v1/posts', { text: 'a', targets: ['bluesky'], when: 'in 1 hour' })).json();
    const b = await (await h.api('POST', '/v1/posts', { text: 'b', targets: ['bluesky'], when: 'in 1 hour' })).json();
    const list = await (await h.api('GET', '/v1/posts?limit=10')).json();
    expect(list.posts.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);
    await h.ctx.accounts.ensureWorkspace('other', 'Other');
    const { createApiToken } = await import('../../src/services/accounts/api-tokens.js');
    const { token } = await createApiToken(h.ctx.store, 'other', 'o', Date.now);
    const res = await h.request(`/v1/posts/${a.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
  });
});
