import { expect, it } from 'vitest';
import type { AttemptRecord } from '../../../src/core/history.js';
import { newId } from '../../../src/core/ids.js';
import type { Delivery } from '../../../src/core/post.js';
import type { AttemptOutcome } from '../../../src/store/ports/delivery-store.js';
import type { Store } from '../../../src/store/store.js';
import { MINUTE, makeError, seedDelivery, seedPost, T0 } from '../store-fixtures.js';

function record(d: Delivery, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    id: newId('att'),
    postId: d.postId,
    deliveryId: d.id,
    platform: d.platform,
    accountId: d.accountId,
    attempt: 1,
    worker: 'w1',
    startedAt: T0,
    endedAt: T0 + 120,
    outcome: 'published',
    url: 'https://bsky.app/profile/me/post/1',
    ...overrides,
  };
}

/** Claims `d` for `owner` and finishes the attempt with `outcome`, keeping `r` in the history. */
async function attempt(store: Store, d: Delivery, r: AttemptRecord, outcome: AttemptOutcome, owner = 'w1') {
  const now = T0 + 2 * MINUTE;
  expect(await store.claim(d.id, owner, now, now + MINUTE)).not.toBeNull();
  return store.finishAttempt(d.id, owner, outcome, now, r);
}

/**
 * HistoryStore: a post's attempt records, oldest first, each written by the finishAttempt that
 * recorded its outcome (and only when it did).
 */
export function historyStoreContract(store: () => Store): void {
  it('keeps a post’s attempt records, oldest first, and only that post’s', async () => {
    const { deliveries } = await seedPost(store(), { deliveries: [{}, { platform: 'mastodon' }] });
    const [a, b] = deliveries as [Delivery, Delivery];
    const other = (await seedPost(store())).deliveries[0]!;
    const second = record(a, { attempt: 2, startedAt: T0 + MINUTE, outcome: 'published' });
    const first = record(a, {
      startedAt: T0,
      outcome: 'retrying',
      error: makeError(),
      nextAttemptAt: T0 + MINUTE,
      url: undefined,
    });
    const again = { kind: 'retry', state: 'queued', dueAt: T0, error: makeError() } as const;
    const result = { remoteId: 'p1', url: 'https://bsky.app/profile/me/post/1' };
    expect(await attempt(store(), a, first, again)).toBe(true);
    const held = {
      kind: 'retry',
      state: 'scheduled',
      dueAt: T0 + MINUTE,
      error: makeError(),
      refundAttempt: true,
    } as const;
    expect(
      await attempt(
        store(),
        b,
        record(b, { startedAt: T0 + 30_000, outcome: 'held', nextAttemptAt: T0 + MINUTE }),
        held,
      ),
    ).toBe(true);
    expect(await attempt(store(), a, second, { kind: 'published', result, at: T0 + MINUTE })).toBe(true);
    await attempt(store(), other, record(other), { kind: 'published', result, at: T0 });
    const list = await store().listAttemptRecords(a.postId);
    expect(list.map((r) => [r.deliveryId, r.outcome])).toEqual([
      [a.id, 'retrying'],
      [b.id, 'held'],
      [a.id, 'published'],
    ]);
    expect(list[0]).toMatchObject({ error: { kind: 'transient', status: 503 }, nextAttemptAt: T0 + MINUTE });
  });

  it('keeps no record of an attempt whose outcome was refused (the lease is another’s)', async () => {
    const d = await seedDelivery(store());
    const now = T0 + 2 * MINUTE;
    expect(await store().claim(d.id, 'w1', now, now + MINUTE)).not.toBeNull();
    const failed = { kind: 'failed', error: makeError() } as const;
    expect(await store().finishAttempt(d.id, 'w2', failed, now, record(d, { outcome: 'failed' }))).toBe(false);
    expect(await store().listAttemptRecords(d.postId)).toEqual([]);
    expect(await store().finishAttempt(d.id, 'w1', failed, now, record(d, { outcome: 'failed' }))).toBe(true);
    expect((await store().listAttemptRecords(d.postId)).map((r) => r.outcome)).toEqual(['failed']);
  });
}
