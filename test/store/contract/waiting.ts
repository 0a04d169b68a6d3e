import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { MINUTE, makeError, seedDelivery, T0 } from '../store-fixtures.js';

/** Accounts that stop working, and the deliveries that wait for them to be reconnected. */
export function waitingCases(store: () => Store): void {
  it('markAccountUnhealthy changes an active account once, however many callers', async () => {
    const d = await seedDelivery(store());
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store().markAccountUnhealthy(d.accountId, 'expired', 'token revoked', T0 + 1)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store().getAccount(d.accountId)).toMatchObject({ health: 'expired', healthReason: 'token revoked' });
    expect(await store().markAccountUnhealthy(d.accountId, 'revoked', 'again', T0 + 2)).toBe(false);
  });

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
