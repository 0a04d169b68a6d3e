import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { SlotTakenError } from '../../../src/store/ports/post-store.js';
import { makeAccount, makeDelivery, makePost, makeWorkspace, MINUTE, seedPost, T0 } from '../store-fixtures.js';

/** PostStore.heldTimes and createPost({ slot: true }): the queue's slots, taken once each. */
export function postSlotCases(store: () => Store): void {
  it('heldTimes lists the times posts hold in the range, once each, and skips released posts', async () => {
    const ws = (await store().ensureWorkspace(makeWorkspace())).id;
    const at = (n: number) => T0 + n * 60 * MINUTE;
    await seedPost(store(), { workspaceId: ws, post: { scheduledAt: at(1) }, deliveries: [{ state: 'scheduled' }] });
    await seedPost(store(), { workspaceId: ws, post: { scheduledAt: at(1) }, deliveries: [{ state: 'scheduled' }] });
    await seedPost(store(), {
      workspaceId: ws,
      post: { scheduledAt: at(2) },
      deliveries: [{ state: 'failed' }, { state: 'published' }],
    });
    for (const state of ['cancelled', 'failed', 'deleted'] as const) {
      await seedPost(store(), { workspaceId: ws, post: { scheduledAt: at(3) }, deliveries: [{ state }] });
    }
    await seedPost(store(), { workspaceId: ws, post: { scheduledAt: at(9) }, deliveries: [{ state: 'scheduled' }] });
    await seedPost(store(), { workspaceId: 'ws_other', post: { scheduledAt: at(4) } });
    expect(await store().heldTimes(ws, { from: at(1), to: at(4) })).toEqual([at(1), at(2)]);
    expect(await store().heldTimes(ws, { from: at(1) + 1, to: at(9) })).toEqual([at(2), at(9)]);
    expect(await store().heldTimes('ws_none', { from: 0, to: at(9) })).toEqual([]);
  });

  it('createPost with slot stores a post at a free time, and refuses a held one writing nothing', async () => {
    const ws = (await store().ensureWorkspace(makeWorkspace())).id;
    const account = makeAccount(ws);
    await store().createAccount(account);
    const first = makePost(ws, { scheduledAt: T0 + 60 * MINUTE });
    expect((await store().createPost(first, [makeDelivery(first, account)], { slot: true })).created).toBe(true);
    const second = makePost(ws, { scheduledAt: T0 + 60 * MINUTE });
    const refused = await store()
      .createPost(second, [makeDelivery(second, account)], { slot: true })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SlotTakenError);
    expect(await store().getPost(second.id)).toBeNull();
    // Once the first lets go of the time (cancelled), the slot is free again.
    await store().cancelPost(first.id, T0);
    expect((await store().createPost(second, [makeDelivery(second, account)], { slot: true })).created).toBe(true);
  });

  it('of several createPost calls with slot for one time at once, exactly one stores its post', async () => {
    const ws = (await store().ensureWorkspace(makeWorkspace())).id;
    const account = makeAccount(ws);
    await store().createAccount(account);
    const posts = Array.from({ length: 5 }, () => makePost(ws, { scheduledAt: T0 + 120 * MINUTE }));
    const results = await Promise.allSettled(
      posts.map((p) => store().createPost(p, [makeDelivery(p, account, { state: 'scheduled' })], { slot: true })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SlotTakenError);
    expect(await store().heldTimes(ws, { from: T0, to: T0 + 200 * MINUTE })).toEqual([T0 + 120 * MINUTE]);
  });
}
