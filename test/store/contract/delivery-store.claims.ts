import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { makeError, MINUTE, seedDelivery, seedPost, T0 } from '../store-fixtures.js';

const LEASE = T0 + MINUTE;
const result = { remoteId: 'at://did:plc:abc/app.bsky.feed.post/1', url: 'https://bsky.app/profile/me/post/1' };

/** DeliveryStore, part two: claims, leases, progress and outcomes of an attempt. */
export function claimCases(store: () => Store): void {
  it('claims a due queued delivery: publishing, attempts + 1, our lease, from queued', async () => {
    const d = await seedDelivery(store(), { state: 'queued', dueAt: T0 - MINUTE });
    const claim = await store().claim(d.id, 'w1', T0, LEASE);
    expect(claim?.from).toBe('queued');
    const expected = { ...d, state: 'publishing', attempts: 1, leaseOwner: 'w1', leaseExpiresAt: LEASE, updatedAt: T0 };
    expect(claim?.delivery).toEqual(expected);
    expect(await store().getDelivery(d.id)).toEqual(expected);
  });

  it('claims an unknown delivery, from unknown', async () => {
    const d = await seedDelivery(store(), { state: 'unknown', dueAt: T0 - MINUTE, attempts: 1 });
    const claim = await store().claim(d.id, 'w2', T0, LEASE);
    expect(claim?.from).toBe('unknown');
    expect(claim?.delivery).toMatchObject({
      state: 'publishing',
      attempts: 2,
      leaseOwner: 'w2',
      leaseExpiresAt: LEASE,
    });
  });

  it('a claimed delivery cannot be claimed again, by anyone', async () => {
    const d = await seedDelivery(store());
    expect(await store().claim(d.id, 'w1', T0, LEASE)).not.toBeNull();
    expect(await store().claim(d.id, 'w2', T0, LEASE)).toBeNull();
    expect(await store().claim(d.id, 'w1', T0, LEASE)).toBeNull();
    expect(await store().getDelivery(d.id)).toMatchObject({ attempts: 1, leaseOwner: 'w1' });
  });

  it('of ten concurrent claims exactly one wins', async () => {
    const d = await seedDelivery(store());
    const owners = Array.from({ length: 10 }, (_, i) => `w${i}`);
    const claims = await Promise.all(owners.map((o) => store().claim(d.id, o, T0, LEASE)));
    const winners = claims.filter((c) => c !== null);
    expect(winners).toHaveLength(1);
    expect(await store().getDelivery(d.id)).toMatchObject({ attempts: 1, leaseOwner: winners[0]!.delivery.leaseOwner });
  });

  it('does not claim a queued delivery that is not due yet', async () => {
    const d = await seedDelivery(store(), { state: 'queued', dueAt: T0 + MINUTE });
    expect(await store().claim(d.id, 'w1', T0, LEASE)).toBeNull();
    expect(await store().getDelivery(d.id)).toEqual(d);
    expect((await store().claim(d.id, 'w1', T0 + MINUTE, LEASE + MINUTE))?.from).toBe('queued');
  });

  it('does not claim scheduled, publishing, published, failed or cancelled deliveries, nor unknown ids', async () => {
    const { deliveries } = await seedPost(store(), {
      deliveries: [
        { state: 'scheduled', dueAt: T0 - MINUTE },
        { state: 'publishing', attempts: 1, leaseOwner: 'w0', leaseExpiresAt: T0 - MINUTE },
        { state: 'published', attempts: 1, result, publishedAt: T0 },
        { state: 'failed', attempts: 1 },
        { state: 'cancelled' },
      ],
    });
    for (const d of deliveries) {
      expect(await store().claim(d.id, 'w1', T0, LEASE)).toBeNull();
      expect(await store().getDelivery(d.id)).toEqual(d);
    }
    expect(await store().claim('dlv_missing', 'w1', T0, LEASE)).toBeNull();
  });

  it('renewLease extends the lease for its owner only', async () => {
    const d = await seedDelivery(store());
    await store().claim(d.id, 'w1', T0, LEASE);
    expect(await store().renewLease(d.id, 'w2', LEASE + 5 * MINUTE)).toBe(false);
    expect((await store().getDelivery(d.id))?.leaseExpiresAt).toBe(LEASE);
    expect(await store().renewLease(d.id, 'w1', LEASE + MINUTE)).toBe(true);
    expect(await store().getDelivery(d.id)).toMatchObject({ leaseOwner: 'w1', leaseExpiresAt: LEASE + MINUTE });
    await store().finishAttempt(d.id, 'w1', { kind: 'published', result, at: T0 }, T0);
    expect(await store().renewLease(d.id, 'w1', LEASE + 2 * MINUTE)).toBe(false);
    expect(await store().renewLease('dlv_missing', 'w1', LEASE)).toBe(false);
  });

  it('keeps thread parts, and saveProgress records chain and checkpoint for the lease owner only', async () => {
    const parts = ['one (1/3)', 'two (2/3)', 'three (3/3)'];
    const d = await seedDelivery(store(), { parts });
    expect((await store().getDelivery(d.id))?.parts).toEqual(parts);
    await store().claim(d.id, 'w1', T0, LEASE);
    const checkpoint = { key: `${d.id}.1`, data: { containerId: '17890', n: 2 } };
    expect(await store().saveProgress(d.id, 'w2', { checkpoint }, T0 + 1)).toBe(false);
    expect(await store().saveProgress(d.id, 'w1', { checkpoint }, T0 + 1)).toBe(true);
    expect(await store().getDelivery(d.id)).toMatchObject({ checkpoint, updatedAt: T0 + 1, state: 'publishing' });
    const chain = [{ ...result, cid: 'bafy1' }];
    expect(await store().saveProgress(d.id, 'w1', { chain, checkpoint: null }, T0 + 2)).toBe(true);
    const saved = await store().getDelivery(d.id);
    expect(saved).toMatchObject({ chain, parts, updatedAt: T0 + 2 });
    expect(saved?.checkpoint).toBeUndefined();
    // A retry keeps what was published so far.
    const error = makeError();
    await store().finishAttempt(d.id, 'w1', { kind: 'retry', state: 'queued', dueAt: T0, error }, T0 + 3);
    expect((await store().claim(d.id, 'w3', T0 + 4, LEASE))?.delivery).toMatchObject({ chain, parts });
    await store().finishAttempt(d.id, 'w3', { kind: 'published', result, at: T0 + 5 }, T0 + 5);
    expect(await store().saveProgress(d.id, 'w3', { chain: [] }, T0 + 6)).toBe(false);
    expect((await store().getDelivery(d.id))?.chain).toEqual(chain);
  });

  it('finishAttempt published records the result and clears the lease', async () => {
    const d = await seedDelivery(store());
    await store().claim(d.id, 'w1', T0, LEASE);
    expect(await store().finishAttempt(d.id, 'w1', { kind: 'published', result, at: T0 + 1 }, T0 + 2)).toBe(true);
    const after = await store().getDelivery(d.id);
    expect(after).toMatchObject({ state: 'published', result, publishedAt: T0 + 1, attempts: 1, updatedAt: T0 + 2 });
    expect(after?.leaseOwner).toBeUndefined();
    expect(after?.leaseExpiresAt).toBeUndefined();
  });

  it('finishAttempt retry (queued) records the error and makes the delivery claimable at dueAt', async () => {
    const d = await seedDelivery(store());
    await store().claim(d.id, 'w1', T0, LEASE);
    const error = makeError();
    const retryAt = T0 + 2 * MINUTE;
    const outcome = { kind: 'retry', state: 'queued', dueAt: retryAt, error } as const;
    expect(await store().finishAttempt(d.id, 'w1', outcome, T0 + 1)).toBe(true);
    const after = await store().getDelivery(d.id);
    expect(after).toMatchObject({ state: 'queued', dueAt: retryAt, lastError: error, attempts: 1, updatedAt: T0 + 1 });
    expect(after?.leaseOwner).toBeUndefined();
    expect(await store().claim(d.id, 'w2', retryAt - 1, retryAt + MINUTE)).toBeNull();
    expect((await store().claim(d.id, 'w2', retryAt, retryAt + MINUTE))?.delivery.attempts).toBe(2);
  });

  it('finishAttempt retry (scheduled) hands the delivery back to the scheduler', async () => {
    const d = await seedDelivery(store());
    await store().claim(d.id, 'w1', T0, LEASE);
    const retryAt = T0 + 60 * MINUTE;
    const outcome = { kind: 'retry', state: 'scheduled', dueAt: retryAt, error: makeError() } as const;
    expect(await store().finishAttempt(d.id, 'w1', outcome, T0 + 1)).toBe(true);
    expect(await store().getDelivery(d.id)).toMatchObject({ state: 'scheduled', dueAt: retryAt });
    expect(await store().nextDueAt()).toBe(retryAt);
    expect(await store().takeDue(retryAt - 1, 10)).toEqual([]);
    expect((await store().takeDue(retryAt, 10)).map((x) => x.id)).toEqual([d.id]);
  });

  it('finishAttempt failed records the error and clears the lease', async () => {
    const d = await seedDelivery(store());
    await store().claim(d.id, 'w1', T0, LEASE);
    const error = makeError({ kind: 'invalid', message: 'text too long', status: 400 });
    expect(await store().finishAttempt(d.id, 'w1', { kind: 'failed', error }, T0 + 1)).toBe(true);
    const after = await store().getDelivery(d.id);
    expect(after).toMatchObject({ state: 'failed', lastError: error, updatedAt: T0 + 1 });
    expect(after?.leaseOwner).toBeUndefined();
  });

  it('finishAttempt is refused for another owner, or once the delivery is no longer publishing', async () => {
    const d = await seedDelivery(store());
    await store().claim(d.id, 'w1', T0, LEASE);
    const claimed = await store().getDelivery(d.id);
    expect(await store().finishAttempt(d.id, 'w2', { kind: 'failed', error: makeError() }, T0 + 1)).toBe(false);
    expect(await store().getDelivery(d.id)).toEqual(claimed);
    expect(await store().finishAttempt(d.id, 'w1', { kind: 'published', result, at: T0 }, T0 + 1)).toBe(true);
    const published = await store().getDelivery(d.id);
    expect(await store().finishAttempt(d.id, 'w1', { kind: 'failed', error: makeError() }, T0 + 2)).toBe(false);
    expect(await store().getDelivery(d.id)).toEqual(published);
    expect(await store().finishAttempt('dlv_missing', 'w1', { kind: 'failed', error: makeError() }, T0)).toBe(false);
  });

  it('expireLeases moves publishing deliveries with a lapsed lease to unknown and returns them', async () => {
    const { deliveries: ds } = await seedPost(store(), { deliveries: [{}, {}, {}] });
    await store().claim(ds[0]!.id, 'w0', T0, T0 + 1 * MINUTE);
    await store().claim(ds[1]!.id, 'w1', T0, T0 + 5 * MINUTE);
    await store().claim(ds[2]!.id, 'w2', T0, T0 + 2 * MINUTE);
    const now = T0 + 3 * MINUTE;
    const expired = await store().expireLeases(now, 10);
    expect(new Set(expired.map((d) => d.id))).toEqual(new Set([ds[0]!.id, ds[2]!.id]));
    expect(expired.every((d) => d.state === 'unknown' && d.dueAt === now)).toBe(true);
    expect(await store().getDelivery(ds[0]!.id)).toMatchObject({ state: 'unknown', dueAt: now, updatedAt: now });
    expect((await store().getDelivery(ds[1]!.id))?.state).toBe('publishing');
    expect(await store().expireLeases(now, 10)).toEqual([]);
    // The old owner lost the delivery; a new worker claims it and must reconcile.
    expect(await store().renewLease(ds[0]!.id, 'w0', now + MINUTE)).toBe(false);
    expect(await store().finishAttempt(ds[0]!.id, 'w0', { kind: 'published', result, at: now }, now)).toBe(false);
    const reclaim = await store().claim(ds[0]!.id, 'w9', now, now + MINUTE);
    expect(reclaim?.from).toBe('unknown');
    expect(reclaim?.delivery.attempts).toBe(2);
  });

  it('expireLeases respects the limit', async () => {
    const { deliveries: ds } = await seedPost(store(), { deliveries: [{}, {}, {}] });
    for (const d of ds) await store().claim(d.id, 'w', T0, LEASE);
    expect(await store().expireLeases(LEASE + 1, 2)).toHaveLength(2);
    expect(await store().expireLeases(LEASE + 1, 2)).toHaveLength(1);
  });
}

/** DeliveryStore: a parked delivery given a new life. */
export function reviveCases(store: () => Store): void {
  it('revives a failed delivery: queued, due now, attempts back to 0, claimable again', async () => {
    const d = await seedDelivery(store(), { state: 'failed', attempts: 6, dueAt: T0 - MINUTE, lastError: makeError() });
    expect(await store().reviveDelivery(d.id, T0)).toBe(true);
    expect(await store().getDelivery(d.id)).toMatchObject({ state: 'queued', attempts: 0, dueAt: T0, updatedAt: T0 });
    expect((await store().claim(d.id, 'w1', T0, LEASE))?.from).toBe('queued');
  });

  it('revives a failed delivery to scheduled for a retry: due now, the scheduler takes it, its chain kept', async () => {
    const chain = [{ remoteId: 'r1', url: 'https://example.com/r1' }];
    const d = await seedDelivery(store(), {
      state: 'failed',
      attempts: 6,
      dueAt: T0 - MINUTE,
      lastError: makeError(),
      chain,
    });
    expect(await store().reviveDelivery(d.id, T0, 'scheduled')).toBe(true);
    expect(await store().getDelivery(d.id)).toMatchObject({ state: 'scheduled', attempts: 0, dueAt: T0, chain });
    expect((await store().takeDueByIds([d.id], T0)).map((x) => x.id)).toEqual([d.id]);
    expect(await store().reviveDelivery(d.id, T0, 'scheduled')).toBe(false);
  });

  it('revives only failed deliveries', async () => {
    for (const state of ['scheduled', 'queued', 'published', 'cancelled'] as const) {
      const d = await seedDelivery(store(), { state });
      expect(await store().reviveDelivery(d.id, T0)).toBe(false);
      expect((await store().getDelivery(d.id))?.state).toBe(state);
    }
    expect(await store().reviveDelivery('dlv_missing', T0)).toBe(false);
  });
}
