import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';

/** StoreLifecycle: `init()` may run again on a store with data; `ping()` answers on a working store. */
export function storeLifecycleContract(store: () => Store): void {
  it('init() twice is fine and keeps data', async () => {
    const ws = await store().ensureWorkspace({ id: 'ws_1', name: 'one', createdAt: 1 });
    await store().init();
    expect(await store().getWorkspace('ws_1')).toEqual(ws);
  });

  it('ping() resolves on a working store', async () => {
    await expect(store().ping()).resolves.toBeUndefined();
  });
}
