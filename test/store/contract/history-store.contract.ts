import { expect, it } from 'vitest';
import type { AttemptRecord } from '../../../src/core/history.js';
import { newId } from '../../../src/core/ids.js';
import type { Delivery } from '../../../src/core/post.js';
import type { Store } from '../../../src/store/store.js';
import { MINUTE, makeError, seedPost, T0 } from '../store-fixtures.js';

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

/** HistoryStore: a post's attempt records, oldest first, a repeated write ignored. */
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
    await store().addAttemptRecord(second);
    await store().addAttemptRecord(first);
    await store().addAttemptRecord(record(b, { startedAt: T0 + 30_000, outcome: 'held', nextAttemptAt: T0 + MINUTE }));
    await store().addAttemptRecord(record(other));
    await store().addAttemptRecord(first); // a repeated write is ignored
    const list = await store().listAttemptRecords(a.postId);
    expect(list.map((r) => [r.deliveryId, r.outcome])).toEqual([
      [a.id, 'retrying'],
      [b.id, 'held'],
      [a.id, 'published'],
    ]);
    expect(list[0]).toMatchObject({ error: { kind: 'transient', status: 503 }, nextAttemptAt: T0 + MINUTE });
  });
}
