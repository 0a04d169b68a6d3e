import { expect, it } from 'vitest';
import type { Account } from '../../../src/core/post.js';
import type { Store } from '../../../src/store/store.js';
import { makeAccount, T0 } from '../store-fixtures.js';

const byId = (a: Account, b: Account) => (a.id < b.id ? -1 : 1);

export function accountCases(store: () => Store): void {
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
}
