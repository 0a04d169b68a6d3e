import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/core/post.js';
import type { Store } from '../../../src/store/store.js';
import { MINUTE, makeError, seedDelivery, seedPost, T0 } from '../store-fixtures.js';
import { claimCases, reviveCases } from './delivery-store.claims.js';

const ids = (ds: Delivery[]) => ds.map((d) => d.id);
const scheduled = (minutes: number): Partial<Delivery> => ({ state: 'scheduled', dueAt: T0 + minutes * MINUTE });

/**
 * DeliveryStore: due deliveries taken by the scheduler, claims and attempts (in
 * delivery-store.claims.ts), parked ones revived, the ones waiting for a reconnect, and the counts.
 */
export function deliveryStoreContract(store: () => Store): void {
  describe('scheduling', () => schedulingCases(store));
  describe('claims and attempts', () => claimCases(store));
  describe('reviving parked deliveries', () => reviveCases(store));
  describe('waiting for a reconnect', () => waitingCases(store));
  describe('counts', () => countCases(store));
}

function schedulingCases(store: () => Store): void {
  it('getDelivery returns a delivery, or null for an unknown id', async () => {
    const d = await seedDelivery(store());
    expect(await store().getDelivery(d.id)).toEqual(d);
    expect(await store().getDelivery('dlv_missing')).toBeNull();
  });

  it('takeDue moves due scheduled deliveries to queued, oldest due first', async () => {
    const { deliveries: ds } = await seedPost(store(), {
      deliveries: [
        scheduled(-1),
        scheduled(-3),
        scheduled(0),
        scheduled(1),
        scheduled(-2),
        { state: 'queued', dueAt: T0 - 5 * MINUTE },
        { state: 'unknown', dueAt: T0 - 5 * MINUTE },
      ],
    });
    const taken = await store().takeDue(T0, 10);
    expect(ids(taken)).toEqual([ds[1]!.id, ds[4]!.id, ds[0]!.id, ds[2]!.id]);
    expect(taken.every((d) => d.state === 'queued')).toBe(true);
    for (const d of taken) expect((await store().getDelivery(d.id))?.state).toBe('queued');
    expect((await store().getDelivery(ds[3]!.id))?.state).toBe('scheduled');
    expect((await store().getDelivery(ds[6]!.id))?.state).toBe('unknown');
    expect(await store().takeDue(T0, 10)).toEqual([]);
  });

  it('takeDue respects the limit and leaves the rest for the next call', async () => {
    const { deliveries: ds } = await seedPost(store(), {
      deliveries: [scheduled(-5), scheduled(-4), scheduled(-3), scheduled(-2), scheduled(-1)],
    });
    expect(ids(await store().takeDue(T0, 2))).toEqual([ds[0]!.id, ds[1]!.id]);
    expect(ids(await store().takeDue(T0, 2))).toEqual([ds[2]!.id, ds[3]!.id]);
    expect(ids(await store().takeDue(T0, 2))).toEqual([ds[4]!.id]);
  });

  it('concurrent takeDue calls never return the same delivery', async () => {
    const { deliveries: ds } = await seedPost(store(), {
      deliveries: Array.from({ length: 20 }, (_, i) => scheduled(-i - 1)),
    });
    const batches = await Promise.all(Array.from({ length: 4 }, () => store().takeDue(T0, 8)));
    const all = batches.flatMap(ids);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(ids(ds)));
  });

  it('nextDueAt is the earliest dueAt among scheduled deliveries, or null', async () => {
    expect(await store().nextDueAt()).toBeNull();
    await seedPost(store(), {
      deliveries: [scheduled(10), scheduled(-2), scheduled(3), { state: 'queued', dueAt: T0 - 60 * MINUTE }],
    });
    expect(await store().nextDueAt()).toBe(T0 - 2 * MINUTE);
    await store().takeDue(T0, 10);
    expect(await store().nextDueAt()).toBe(T0 + 3 * MINUTE);
  });

  it('takeDueByIds queues only the given deliveries that are scheduled and due', async () => {
    const { deliveries: ds } = await seedPost(store(), {
      deliveries: [
        scheduled(-1),
        scheduled(-2),
        scheduled(5),
        { state: 'cancelled', dueAt: T0 - MINUTE },
        scheduled(-3),
      ],
    });
    const asked = [ds[0]!.id, ds[1]!.id, ds[2]!.id, ds[3]!.id, 'dlv_missing'];
    const taken = await store().takeDueByIds(asked, T0);
    expect(ids(taken)).toEqual([ds[1]!.id, ds[0]!.id]);
    expect(taken.every((d) => d.state === 'queued' && d.updatedAt === T0)).toBe(true);
    expect((await store().getDelivery(ds[2]!.id))?.state).toBe('scheduled');
    expect((await store().getDelivery(ds[3]!.id))?.state).toBe('cancelled');
    expect((await store().getDelivery(ds[4]!.id))?.state).toBe('scheduled');
    expect(await store().takeDueByIds(asked, T0)).toEqual([]);
    expect(await store().takeDueByIds([], T0)).toEqual([]);
  });

  it('takeStranded returns deliveries in the state due before the threshold, once per threshold', async () => {
    const { deliveries: ds } = await seedPost(store(), {
      deliveries: [
        { state: 'queued', dueAt: T0 - 10 * MINUTE },
        { state: 'unknown', dueAt: T0 - 20 * MINUTE, attempts: 1 },
        { state: 'queued', dueAt: T0 },
        scheduled(-30),
        { state: 'publishing', dueAt: T0 - 30 * MINUTE, leaseOwner: 'w', leaseExpiresAt: T0 },
        { state: 'cancelled', dueAt: T0 - 30 * MINUTE },
        { state: 'queued', dueAt: T0 - 15 * MINUTE },
      ],
    });
    expect(await store().takeStranded('queued', T0 - 60 * MINUTE, T0, 10)).toEqual([]);
    const unknown = await store().takeStranded('unknown', T0 - 5 * MINUTE, T0, 10);
    expect(ids(unknown)).toEqual([ds[1]!.id]);
    expect(unknown[0]).toMatchObject({ state: 'unknown', dueAt: T0, attempts: 1 });
    const first = await store().takeStranded('queued', T0 - 5 * MINUTE, T0, 1);
    expect(ids(first)).toEqual([ds[6]!.id]);
    const rest = await store().takeStranded('queued', T0 - 5 * MINUTE, T0, 10);
    expect(ids(rest)).toEqual([ds[0]!.id]);
    expect(await store().getDelivery(ds[0]!.id)).toEqual({ ...ds[0], dueAt: T0, updatedAt: T0 });
    // Taken ones wait a whole threshold again before the next sweep sends them.
    expect(await store().takeStranded('queued', T0 - 5 * MINUTE, T0, 10)).toEqual([]);
    expect(ids(await store().takeStranded('queued', T0 + 1, T0 + 5 * MINUTE, 10)).sort()).toEqual(
      [ds[0]!.id, ds[2]!.id, ds[6]!.id].sort(),
    );
  });
}

/** Deliveries that wait for their account to be reconnected. */
function waitingCases(store: () => Store): void {
  it('a retry that refunds its attempt leaves the attempt count as it was before the claim', async () => {
    const d = await seedDelivery(store(), { state: 'queued', dueAt: T0 - MINUTE, attempts: 2 });
    await store().claim(d.id, 'w1', T0, T0 + MINUTE);
    const error = makeError({ kind: 'auth', message: 'needs reconnecting' });
    await store().finishAttempt(
      d.id,
      'w1',
      { kind: 'retry', state: 'scheduled', dueAt: T0 + 60 * MINUTE, error, refundAttempt: true },
      T0,
    );
    expect(await store().getDelivery(d.id)).toMatchObject({ state: 'scheduled', attempts: 2, dueAt: T0 + 60 * MINUTE });
  });

  it('wakeWaitingDeliveries makes an account’s deliveries waiting on auth due now, and no others', async () => {
    const waiting = await seedDelivery(store(), {
      state: 'scheduled',
      dueAt: T0 + 60 * MINUTE,
      lastError: makeError({ kind: 'auth' }),
    });
    const scheduled = await seedDelivery(store(), { state: 'scheduled', dueAt: T0 + 60 * MINUTE });
    expect(await store().wakeWaitingDeliveries(waiting.accountId, T0)).toBe(1);
    expect((await store().getDelivery(waiting.id))?.dueAt).toBe(T0);
    expect(await store().wakeWaitingDeliveries(scheduled.accountId, T0)).toBe(0);
    expect((await store().getDelivery(scheduled.id))?.dueAt).toBe(T0 + 60 * MINUTE);
  });
}

/** What health, `/metrics` and `hayon queue status` count. */
function countCases(store: () => Store): void {
  it('countDeliveries counts per state', async () => {
    const empty = await store().countDeliveries();
    expect(Object.values(empty).every((n) => n === 0)).toBe(true);
    await seedPost(store(), {
      deliveries: [scheduled(1), scheduled(2), { state: 'queued' }, { state: 'failed', attempts: 3 }],
    });
    const counts = await store().countDeliveries();
    expect(counts.scheduled).toBe(2);
    expect(counts.queued).toBe(1);
    expect(counts.failed).toBe(1);
    expect(counts.published ?? 0).toBe(0);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(4);
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
}
