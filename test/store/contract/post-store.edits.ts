import { expect, it } from 'vitest';
import type { Post } from '../../../src/core/post.js';
import type { Store } from '../../../src/store/store.js';
import { makeAccount, makeDelivery, MINUTE, seedPost, T0 } from '../store-fixtures.js';

/** PostStore.editPost: an edit of a post nothing of which has started, all or nothing. */
export function postEditCases(store: () => Store): void {
  const edited = (post: Post): Post => ({
    ...post,
    content: { text: 'Edited text', media: [] },
    overrides: {},
    scheduledAt: T0 + 60 * MINUTE,
    timezone: 'Asia/Tokyo',
  });

  it('replaces the post; kept deliveries become scheduled at the new time with their parts; adds and cancels', async () => {
    const { post, deliveries } = await seedPost(store(), {
      deliveries: [{ state: 'scheduled' }, { state: 'queued', parts: ['a (1/2)', 'b (2/2)'] }, { state: 'scheduled' }],
    });
    const [keepA, keepB, drop] = deliveries as [(typeof deliveries)[0], (typeof deliveries)[0], (typeof deliveries)[0]];
    const account = makeAccount(post.workspaceId, { platform: 'tumblr' });
    await store().createAccount(account);
    const dueAt = T0 + 60 * MINUTE;
    const added = makeDelivery(post, account, { state: 'scheduled', dueAt, createdAt: T0 + 1, updatedAt: T0 + 1 });
    const result = await store().editPost({
      post: edited(post),
      keep: [{ id: keepA.id, parts: ['x (1/2)', 'y (2/2)'] }, { id: keepB.id }],
      add: [added],
      cancel: [drop.id],
      dueAt,
      at: T0 + 1,
    });
    expect(result.edited).toBe(true);
    const read = await store().getPost(post.id);
    expect(read?.post).toEqual(edited(post));
    const byId = new Map(read?.deliveries.map((d) => [d.id, d]));
    expect(byId.get(keepA.id)).toMatchObject({
      state: 'scheduled',
      dueAt,
      parts: ['x (1/2)', 'y (2/2)'],
      updatedAt: T0 + 1,
    });
    expect(byId.get(keepB.id)).toMatchObject({ state: 'scheduled', dueAt });
    expect(byId.get(keepB.id)?.parts).toBeUndefined();
    expect(byId.get(drop.id)?.state).toBe('cancelled');
    expect(byId.get(added.id)).toEqual(added);
    if (result.edited) expect(result.value.deliveries.map((d) => d.id).sort()).toEqual([...byId.keys()].sort());
    // The scheduler takes the kept deliveries at their new time, not before.
    expect(await store().takeDueByIds([keepA.id, keepB.id], T0 + 2)).toEqual([]);
    expect(await store().takeDueByIds([keepA.id, keepB.id, added.id], dueAt)).toHaveLength(3);
  });

  it('writes nothing when a delivery has started publishing, and returns those that have', async () => {
    const { post, deliveries } = await seedPost(store(), {
      deliveries: [{ state: 'scheduled' }, { state: 'publishing', attempts: 1 }, { state: 'published' }],
    });
    const before = await store().getPost(post.id);
    const result = await store().editPost({
      post: edited(post),
      keep: deliveries.map((d) => ({ id: d.id })),
      add: [],
      cancel: [],
      dueAt: T0 + 60 * MINUTE,
      at: T0 + 1,
    });
    expect(result.edited).toBe(false);
    if (!result.edited) {
      expect(result.started.map((d) => d.state).sort()).toEqual(['published', 'publishing']);
    }
    expect(await store().getPost(post.id)).toEqual(before);
  });

  it('a delivery to cancel that has started also refuses the whole edit', async () => {
    const { post, deliveries } = await seedPost(store(), { deliveries: [{ state: 'scheduled' }, { state: 'failed' }] });
    const before = await store().getPost(post.id);
    const result = await store().editPost({
      post: edited(post),
      keep: [{ id: deliveries[0]!.id }],
      add: [],
      cancel: [deliveries[1]!.id],
      dueAt: T0,
      at: T0 + 1,
    });
    expect(result).toMatchObject({ edited: false, started: [{ id: deliveries[1]!.id, state: 'failed' }] });
    expect(await store().getPost(post.id)).toEqual(before);
  });
}
