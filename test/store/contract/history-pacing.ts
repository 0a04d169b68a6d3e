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

/** A post's attempt history, the per-platform breakdown, and pacing ledgers. */
export function historyPacingCases(store: () => Store): void {
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

  it('breaks deliveries down per platform and state, counting given-up ones as parked', async () => {
    await seedPost(store(), {
      deliveries: [
        { state: 'scheduled', dueAt: T0 + 5 * MINUTE },
        { state: 'scheduled', dueAt: T0 + 2 * MINUTE },
        { state: 'queued', dueAt: T0 - MINUTE },
        { platform: 'mastodon', state: 'failed', lastError: makeError({ kind: 'transient' }) },
        { platform: 'mastodon', state: 'failed', lastError: makeError({ kind: 'invalid' }) },
      ],
    });
    const rows = await store().deliveryBreakdown();
    expect(rows).toEqual(
      expect.arrayContaining([
        { platform: 'bluesky', state: 'scheduled', count: 2, oldestDueAt: T0 + 2 * MINUTE },
        { platform: 'bluesky', state: 'queued', count: 1, oldestDueAt: T0 - MINUTE },
        { platform: 'mastodon', state: 'parked', count: 1, oldestDueAt: null },
        { platform: 'mastodon', state: 'failed', count: 1, oldestDueAt: null },
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('stores a pacing ledger by compare-and-set: of concurrent writers of one version, one wins', async () => {
    const ledger = (version: number, n: number) => ({
      accountId: 'acct_pace',
      version,
      spent: { points: [[T0, n]] as [number, number][] },
    });
    expect(await store().getPacing('acct_pace')).toBeNull();
    const firsts = await Promise.all([1, 2, 3, 4].map((n) => store().putPacing(ledger(1, n))));
    expect(firsts.filter(Boolean)).toHaveLength(1);
    const seconds = await Promise.all([5, 6, 7, 8].map((n) => store().putPacing(ledger(2, n))));
    expect(seconds.filter(Boolean)).toHaveLength(1);
    const stored = await store().getPacing('acct_pace');
    expect(stored?.version).toBe(2);
    expect([5, 6, 7, 8]).toContain(stored?.spent.points?.[0]?.[1]);
    expect(await store().putPacing(ledger(2, 9))).toBe(false); // stale: version 2 is taken
    expect(await store().putPacing(ledger(3, 9))).toBe(true);
  });
}
