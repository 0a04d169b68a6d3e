import { expect, it } from 'vitest';
import type { Account } from '../../../src/core/post.js';
import type { Store } from '../../../src/store/store.js';
import { makeAccount, makeWorkspace, seedDelivery, T0 } from '../store-fixtures.js';

const byId = (a: Account, b: Account) => (a.id < b.id ? -1 : 1);

/** AccountStore: accounts, their credentials (replaced only while unchanged, with `ifCurrent`) and health. */
export function accountStoreContract(store: () => Store): void {
  it('createAccount then getAccount returns it; unknown ids give null', async () => {
    const account = makeAccount('ws_a', { healthReason: 'fine' });
    await store().createAccount(account);
    expect(await store().getAccount(account.id)).toEqual(account);
    expect(await store().getAccount('acct_missing')).toBeNull();
  });

  it('refuses a second account with the same id', async () => {
    const account = makeAccount('ws_a');
    await store().createAccount(account);
    await expect(store().createAccount({ ...account, handle: 'other' })).rejects.toThrow();
    expect((await store().getAccount(account.id))?.handle).toBe(account.handle);
  });

  it("listAccounts returns the workspace's accounts only", async () => {
    const mine = [makeAccount('ws_a'), makeAccount('ws_a', { platform: 'mastodon', handle: '@me@example.social' })];
    for (const a of [...mine, makeAccount('ws_b')]) await store().createAccount(a);
    expect((await store().listAccounts('ws_a')).sort(byId)).toEqual([...mine].sort(byId));
    expect(await store().listAccounts('ws_none')).toEqual([]);
  });

  it('updateAccountCredentials replaces the credentials and nothing else', async () => {
    const account = makeAccount('ws_a');
    await store().createAccount(account);
    await store().updateAccountCredentials(account.id, 'v1:new', T0 + 10);
    expect(await store().getAccount(account.id)).toEqual({ ...account, credentials: 'v1:new', updatedAt: T0 + 10 });
  });

  it('setAccountHealth sets health and reason, and clears the reason when none is given', async () => {
    const account = makeAccount('ws_a');
    await store().createAccount(account);
    await store().setAccountHealth(account.id, 'expired', 'token expired', T0 + 10);
    expect(await store().getAccount(account.id)).toEqual({
      ...account,
      health: 'expired',
      healthReason: 'token expired',
      updatedAt: T0 + 10,
    });
    await store().setAccountHealth(account.id, 'active', undefined, T0 + 20);
    const healed = await store().getAccount(account.id);
    expect(healed?.health).toBe('active');
    expect(healed?.healthReason).toBeUndefined();
    expect(healed?.updatedAt).toBe(T0 + 20);
  });

  it('replaces credentials with ifCurrent only while the stored value is still that one', async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    const account = makeAccount(ws.id, { credentials: 'v1.old' });
    await store().createAccount(account);
    await store().updateAccountCredentials(account.id, 'v1.resealed', T0 + 1, 'v1.stale-read');
    expect((await store().getAccount(account.id))?.credentials).toBe('v1.old');
    await store().updateAccountCredentials(account.id, 'v1.resealed', T0 + 2, 'v1.old');
    expect(await store().getAccount(account.id)).toMatchObject({ credentials: 'v1.resealed', updatedAt: T0 + 2 });
    await store().updateAccountCredentials(account.id, 'v1.refreshed', T0 + 3);
    expect((await store().getAccount(account.id))?.credentials).toBe('v1.refreshed');
  });

  it('markAccountUnhealthy changes an active account once, however many callers', async () => {
    const d = await seedDelivery(store());
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store().markAccountUnhealthy(d.accountId, 'expired', 'token revoked', T0 + 1)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store().getAccount(d.accountId)).toMatchObject({ health: 'expired', healthReason: 'token revoked' });
    expect(await store().markAccountUnhealthy(d.accountId, 'revoked', 'again', T0 + 2)).toBe(false);
  });
}
