import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/core/audit.js';
import type { Delivery, Post } from '../../../src/core/post.js';
import type { Store } from '../../../src/store/store.js';
import { makeAccount, makeDelivery, makePost, MINUTE, seedPost, T0 } from '../store-fixtures.js';
import { postCalendarCases } from './post-store.calendar.js';
import { postEditCases } from './post-store.edits.js';
import { postSlotCases } from './post-store.slots.js';

const sortById = (ds: Delivery[]) => [...ds].sort((a, b) => (a.id < b.id ? -1 : 1));

/** A post with two deliveries, not yet stored. */
function draft(workspaceId: string, post: Partial<Post> = {}): { post: Post; deliveries: Delivery[] } {
  const p = makePost(workspaceId, post);
  const deliveries = [
    makeDelivery(p, makeAccount(workspaceId)),
    makeDelivery(p, makeAccount(workspaceId, { platform: 'mastodon' }), { state: 'scheduled' }),
  ];
  return { post: p, deliveries };
}

/** PostStore: a post and its deliveries written all or nothing, idempotency keys, listing, cancel and post now. */
export function postStoreContract(store: () => Store): void {
  it('createPost stores the post and its deliveries; getPost returns both', async () => {
    const { post, deliveries } = draft('ws_a', {
      idempotencyKey: 'k1',
      requestHash: 'h1',
      callbackUrl: 'https://example.com/cb',
      origin: { kind: 'webhook', hookId: 'hook_1' },
    });
    const result = await store().createPost(post, deliveries);
    expect(result.created).toBe(true);
    expect(result.value.post).toEqual(post);
    expect(sortById(result.value.deliveries)).toEqual(sortById(deliveries));
    const read = await store().getPost(post.id);
    expect(read?.post).toEqual(post);
    expect(sortById(read?.deliveries ?? [])).toEqual(sortById(deliveries));
    expect(await store().getDelivery(deliveries[0]!.id)).toEqual(deliveries[0]);
    expect(await store().getPostAndAccount(post.id, 'acct_missing')).toEqual({ post, account: null });
    expect(await store().getPostAndAccount('post_missing', 'acct_missing')).toEqual({ post: null, account: null });
  });

  it('reads a post with the account a delivery publishes to, in one call', async () => {
    const account = makeAccount('ws_a');
    await store().createAccount(account);
    const { post, deliveries } = draft('ws_a');
    await store().createPost(post, deliveries);
    expect(await store().getPostAndAccount(post.id, account.id)).toEqual({ post, account });
    expect(await store().getPostAndAccount('post_missing', account.id)).toEqual({ post: null, account: null });
  });

  it('leaves absent optional fields absent (not null)', async () => {
    const { post, deliveries } = draft('ws_a', { author: {}, origin: { kind: 'cli' } });
    await store().createPost(post, deliveries);
    const read = await store().getPost(post.id);
    for (const field of ['idempotencyKey', 'requestHash', 'callbackUrl']) expect(read?.post).not.toHaveProperty(field);
    for (const field of ['leaseOwner', 'leaseExpiresAt', 'lastError', 'result', 'publishedAt']) {
      expect(read?.deliveries[0]).not.toHaveProperty(field);
    }
  });

  it('correlationIds reads the correlation id of each stored post at once, and skips unknown ids', async () => {
    const a = await seedPost(store());
    const b = await seedPost(store());
    expect(a.post.correlationId).not.toBe(b.post.correlationId);
    const ids = await store().correlationIds([a.post.id, 'post_missing', b.post.id, a.post.id]);
    expect(Object.fromEntries(ids)).toEqual({ [a.post.id]: a.post.correlationId, [b.post.id]: b.post.correlationId });
    expect((await store().correlationIds([])).size).toBe(0);
  });

  it('getPost returns null for an unknown id', async () => {
    expect(await store().getPost('post_missing')).toBeNull();
  });

  it('createPost is all or nothing: a duplicate delivery id in the batch leaves no post behind', async () => {
    const { post, deliveries } = draft('ws_a');
    const dup = { ...deliveries[1]!, id: deliveries[0]!.id };
    await expect(store().createPost(post, [deliveries[0]!, dup])).rejects.toThrow();
    expect(await store().getPost(post.id)).toBeNull();
    expect(await store().getDelivery(deliveries[0]!.id)).toBeNull();
  });

  it("createPost is all or nothing: a delivery id clashing with another post's leaves no post behind", async () => {
    const first = await seedPost(store());
    const { post, deliveries } = draft(first.post.workspaceId);
    const clash = { ...deliveries[1]!, id: first.deliveries[0]!.id };
    await expect(store().createPost(post, [deliveries[0]!, clash])).rejects.toThrow();
    expect(await store().getPost(post.id)).toBeNull();
    expect(await store().getDelivery(deliveries[0]!.id)).toBeNull();
    expect(await store().getDelivery(first.deliveries[0]!.id)).toEqual(first.deliveries[0]);
  });

  it('createPost refuses a post id that exists and keeps the original', async () => {
    const first = await seedPost(store());
    const { deliveries } = draft(first.post.workspaceId);
    await expect(store().createPost({ ...first.post, timezone: 'UTC' }, deliveries)).rejects.toThrow();
    expect((await store().getPost(first.post.id))?.post).toEqual(first.post);
    expect(await store().getDelivery(deliveries[0]!.id)).toBeNull();
  });

  it('an idempotency key used again in the workspace returns the existing post and writes nothing', async () => {
    const first = draft('ws_a', { idempotencyKey: 'key-1' });
    await store().createPost(first.post, first.deliveries);
    const before = await store().countDeliveries();
    const second = draft('ws_a', { idempotencyKey: 'key-1' });
    const result = await store().createPost(second.post, second.deliveries);
    expect(result.created).toBe(false);
    expect(result.value.post).toEqual(first.post);
    expect(sortById(result.value.deliveries)).toEqual(sortById(first.deliveries));
    expect(await store().getPost(second.post.id)).toBeNull();
    for (const d of second.deliveries) expect(await store().getDelivery(d.id)).toBeNull();
    expect(await store().countDeliveries()).toEqual(before);
  });

  it('createPost writes its audit entry with the post, none when a delivery fails it or the key finds an earlier post', async () => {
    const entry = (id: string, target: string): AuditEntry => ({
      id,
      workspaceId: 'ws_audit',
      at: T0,
      actor: { kind: 'api', id: 'tok_1', name: 'ci' },
      action: 'post.created',
      target,
      details: { targets: 2 },
    });
    const made = draft('ws_audit', { idempotencyKey: 'key-a' });
    await store().createPost(made.post, made.deliveries, { audit: entry('aud_1', made.post.id) });
    const broken = draft('ws_audit');
    const dup = { ...broken.deliveries[1]!, id: broken.deliveries[0]!.id };
    await expect(
      store().createPost(broken.post, [broken.deliveries[0]!, dup], { audit: entry('aud_2', broken.post.id) }),
    ).rejects.toThrow();
    const again = draft('ws_audit', { idempotencyKey: 'key-a' });
    const repeated = await store().createPost(again.post, again.deliveries, { audit: entry('aud_3', again.post.id) });
    expect(repeated.created).toBe(false);
    expect(await store().listAudit('ws_audit', { limit: 10 })).toEqual([entry('aud_1', made.post.id)]);
  });

  it('createPost calls at once: one that fails takes none of the others with it', async () => {
    const drafts = [draft('ws_at_once'), draft('ws_at_once'), draft('ws_at_once'), draft('ws_at_once')];
    const broken = drafts[2]!;
    broken.deliveries[1] = { ...broken.deliveries[1]!, id: broken.deliveries[0]!.id };
    const results = await Promise.allSettled(drafts.map((d) => store().createPost(d.post, d.deliveries)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    for (const [i, d] of drafts.entries()) {
      const stored = await store().getPost(d.post.id);
      if (i === 2) expect(stored).toBeNull();
      else expect(sortById(stored?.deliveries ?? [])).toEqual(sortById(d.deliveries));
    }
  });

  it('the same idempotency key in another workspace is independent', async () => {
    const a = draft('ws_a', { idempotencyKey: 'key-1' });
    const b = draft('ws_b', { idempotencyKey: 'key-1' });
    expect((await store().createPost(a.post, a.deliveries)).created).toBe(true);
    const result = await store().createPost(b.post, b.deliveries);
    expect(result.created).toBe(true);
    expect(result.value.post).toEqual(b.post);
  });

  it('concurrent creates with one idempotency key store exactly one post', async () => {
    const drafts = Array.from({ length: 5 }, () => draft('ws_a', { idempotencyKey: 'race' }));
    const results = await Promise.all(drafts.map((d) => store().createPost(d.post, d.deliveries)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.value.post.id)).size).toBe(1);
    expect((await store().listPosts('ws_a', { limit: 10 })).length).toBe(1);
  });

  it('posts without an idempotency key never collide', async () => {
    for (let i = 0; i < 3; i++) {
      const d = draft('ws_a');
      expect((await store().createPost(d.post, d.deliveries)).created).toBe(true);
    }
    expect(await store().listPosts('ws_a', { limit: 10 })).toHaveLength(3);
  });

  it('findPostByIdempotencyKey looks within one workspace', async () => {
    const d = draft('ws_a', { idempotencyKey: 'key-1' });
    await store().createPost(d.post, d.deliveries);
    const found = await store().findPostByIdempotencyKey('ws_a', 'key-1');
    expect(found?.post).toEqual(d.post);
    expect(found?.deliveries).toHaveLength(2);
    expect(await store().findPostByIdempotencyKey('ws_b', 'key-1')).toBeNull();
    expect(await store().findPostByIdempotencyKey('ws_a', 'key-2')).toBeNull();
  });

  it('listPosts lists newest first, pages with `before`, and stays in the workspace', async () => {
    const order = [3, 0, 4, 1, 2];
    const posts: Post[] = [];
    for (const i of order) {
      const d = draft('ws_a', { createdAt: T0 + i * MINUTE });
      await store().createPost(d.post, d.deliveries);
      posts[i] = d.post;
    }
    const other = draft('ws_b');
    await store().createPost(other.post, other.deliveries);
    const ids = (list: { post: Post }[]) => list.map((p) => p.post.id);
    const all = await store().listPosts('ws_a', { limit: 10 });
    expect(ids(all)).toEqual([4, 3, 2, 1, 0].map((i) => posts[i]!.id));
    expect(all.every((p) => p.deliveries.length === 2)).toBe(true);
    const page1 = await store().listPosts('ws_a', { limit: 2 });
    expect(ids(page1)).toEqual([posts[4]!.id, posts[3]!.id]);
    const page2 = await store().listPosts('ws_a', { limit: 2, before: page1[1]!.post.createdAt });
    expect(ids(page2)).toEqual([posts[2]!.id, posts[1]!.id]);
    expect(ids(await store().listPosts('ws_a', { limit: 2, before: T0 }))).toEqual([]);
    expect(await store().listPosts('ws_none', { limit: 2 })).toEqual([]);
  });

  it('cancelPost cancels scheduled, queued and unknown deliveries only, and counts them', async () => {
    const { post, deliveries } = await seedPost(store(), {
      deliveries: [
        { state: 'scheduled' },
        { state: 'queued' },
        { state: 'unknown', attempts: 1 },
        { state: 'publishing', attempts: 1, leaseOwner: 'w1', leaseExpiresAt: T0 + MINUTE },
        { state: 'published', attempts: 1, result: { remoteId: 'r', url: 'https://x' }, publishedAt: T0 },
        { state: 'failed', attempts: 3 },
      ],
    });
    expect(await store().cancelPost(post.id, T0 + 7)).toBe(3);
    const after = await Promise.all(deliveries.map((d) => store().getDelivery(d.id)));
    expect(after.map((d) => d?.state)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'publishing',
      'published',
      'failed',
    ]);
    expect(after.slice(0, 3).every((d) => d?.updatedAt === T0 + 7)).toBe(true);
    expect(after[3]).toEqual(deliveries[3]);
    expect(await store().cancelPost(post.id, T0 + 8)).toBe(0);
    expect(await store().cancelPost('post_missing', T0)).toBe(0);
  });

  it("bringForward makes the post's scheduled deliveries due now, and nothing else", async () => {
    const { post, deliveries } = await seedPost(store(), {
      deliveries: [
        { state: 'scheduled', dueAt: T0 + 60 * MINUTE },
        { state: 'scheduled', dueAt: T0 + 60 * MINUTE },
        { state: 'queued', dueAt: T0 + 60 * MINUTE },
        { state: 'published', attempts: 1, result: { remoteId: 'r', url: 'https://x' }, publishedAt: T0 },
      ],
    });
    expect(await store().bringForward(post.id, T0 + 5)).toBe(2);
    const after = await Promise.all(deliveries.map((d) => store().getDelivery(d.id)));
    expect(after.map((d) => [d?.state, d?.dueAt])).toEqual([
      ['scheduled', T0 + 5],
      ['scheduled', T0 + 5],
      ['queued', T0 + 60 * MINUTE],
      ['published', deliveries[3]?.dueAt],
    ]);
    expect(await store().nextDueAt()).toBe(T0 + 5);
    expect(await store().bringForward(post.id, T0 + 6)).toBe(0);
    expect(await store().bringForward('post_missing', T0)).toBe(0);
  });

  describe('editPost', () => postEditCases(store));
  describe('listPostsScheduled, listScheduledTimes', () => postCalendarCases(store));
  describe('heldTimes and slots', () => postSlotCases(store));
}
