import { expect, it } from 'vitest';
import type { PacingStore } from '../../../src/store/ports/pacing-store.js';
import { T0 } from '../store-fixtures.js';

/** PacingStore: one ledger per account, written by compare-and-set on its version. */
export function pacingStoreContract(store: () => PacingStore): void {
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
