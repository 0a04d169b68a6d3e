import { expect, it } from 'vitest';
import type { Delivery } from '../../../src/core/post.js';
import type { Store } from '../../../src/store/store.js';
import { MINUTE, makeAccount, makeDelivery, makePost, makeWorkspace, seedDelivery, T0 } from '../store-fixtures.js';

const states = (ds: (Delivery | null)[]) => ds.map((d) => d?.state);

/**
 * Taking things down: a delivery's posts deleted from the platform (DeliveryStore
 * `markDeliveryDeleted`), and an account removed after its waiting deliveries were looked at and
 * cancelled (AccountStore `waitingDeliveriesOf`, `cancelDeliveriesOf`, `removeAccount`).
 */
export function removalsContract(store: () => Store): void {
  it('markDeliveryDeleted moves published and failed deliveries to deleted, keeping result and chain', async () => {
    const result = { remoteId: 'r1', url: 'https://example.com/r1' };
    const published = await seedDelivery(store(), { state: 'published', result, chain: [result], publishedAt: T0 });
    const failed = await seedDelivery(store(), { state: 'failed', chain: [result] });
    expect(await store().markDeliveryDeleted(published.id, T0 + 5)).toBe(true);
    expect(await store().markDeliveryDeleted(failed.id, T0 + 5)).toBe(true);
    expect(await store().getDelivery(published.id)).toEqual({ ...published, state: 'deleted', updatedAt: T0 + 5 });
    expect((await store().getDelivery(failed.id))?.chain).toEqual([result]);
  });

  it('markDeliveryDeleted changes nothing in any other state, and a second call is false', async () => {
    for (const state of ['scheduled', 'queued', 'publishing', 'unknown', 'cancelled'] as const) {
      const d = await seedDelivery(store(), { state });
      expect(await store().markDeliveryDeleted(d.id, T0 + 5)).toBe(false);
      expect(await store().getDelivery(d.id)).toEqual(d);
    }
    const d = await seedDelivery(store(), { state: 'published' });
    expect(await store().markDeliveryDeleted(d.id, T0 + 5)).toBe(true);
    expect(await store().markDeliveryDeleted(d.id, T0 + 6)).toBe(false);
    expect(await store().markDeliveryDeleted('dlv_missing', T0)).toBe(false);
  });

  it("waitingDeliveriesOf lists the account's unfinished deliveries, oldest due first; cancelDeliveriesOf cancels all but the one publishing", async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    const account = makeAccount(ws.id);
    const other = makeAccount(ws.id);
    await store().createAccount(account);
    await store().createAccount(other);
    const post = makePost(ws.id);
    const mine = (state: Delivery['state'], minutes: number) =>
      makeDelivery(post, account, { state, dueAt: T0 + minutes * MINUTE });
    const ds = [
      mine('scheduled', 30),
      mine('queued', 0),
      mine('publishing', -1),
      mine('unknown', -2),
      mine('published', -10),
      mine('failed', -10),
      makeDelivery(post, other, { state: 'scheduled', dueAt: T0 }),
    ];
    await store().createPost(post, ds);
    const waiting = await store().waitingDeliveriesOf(account.id);
    expect(waiting.map((d) => d.id)).toEqual([ds[3]!.id, ds[2]!.id, ds[1]!.id, ds[0]!.id]);
    expect(await store().waitingDeliveriesOf('acct_missing')).toEqual([]);

    expect(await store().cancelDeliveriesOf(account.id, T0 + 1)).toBe(3);
    const after = await Promise.all(ds.map((d) => store().getDelivery(d.id)));
    expect(states(after)).toEqual([
      'cancelled',
      'cancelled',
      'publishing',
      'cancelled',
      'published',
      'failed',
      'scheduled',
    ]);
    expect((await store().waitingDeliveriesOf(account.id)).map((d) => d.id)).toEqual([ds[2]!.id]);
  });

  it('removeAccount removes the account and its credentials, keeps its finished deliveries, and is false the second time', async () => {
    const d = await seedDelivery(store(), { state: 'published' });
    expect(await store().removeAccount(d.accountId)).toBe(true);
    expect(await store().getAccount(d.accountId)).toBeNull();
    expect(await store().listAccounts(d.workspaceId)).toEqual([]);
    expect(await store().getDelivery(d.id)).toEqual(d);
    expect(await store().removeAccount(d.accountId)).toBe(false);
  });
}
