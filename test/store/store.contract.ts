import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { accountStoreContract } from './contract/account-store.contract.js';
import { auditStoreContract } from './contract/audit-store.contract.js';
import { removalsContract } from './contract/removals.contract.js';
import { callbackStoreContract } from './contract/callback-store.contract.js';
import { chatOutboxContract } from './contract/chat-outbox.contract.js';
import { connectStoreContract } from './contract/connect-store.contract.js';
import { deliveryStoreContract } from './contract/delivery-store.contract.js';
import { historyStoreContract } from './contract/history-store.contract.js';
import { hookStoreContract } from './contract/hook-store.contract.js';
import { pacingStoreContract } from './contract/pacing-store.contract.js';
import { postStoreContract } from './contract/post-store.contract.js';
import { storeLifecycleContract } from './contract/store-lifecycle.contract.js';
import { tokenStoreContract } from './contract/token-store.contract.js';
import { webSessionStoreContract } from './contract/web-session-store.contract.js';
import { workspaceStoreContract } from './contract/workspace-store.contract.js';

export interface StoreContractOptions {
  /** Skips the whole suite; the reason is shown in the suite's name. */
  skip?: string;
}

export type StoreFactory = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

/**
 * The Store's contract, one part per port (`./contract/<port>.contract.ts`, each following the doc
 * comments of its interface in src/store/ports/): every adapter's test calls this with a factory
 * that returns a fresh, empty store (not yet initialised: the suite calls `init()`) and a cleanup
 * that closes it and removes its data. Each case gets a store of its own.
 *
 * @example
 * defineStoreContract('sqlite', async () => {
 *   const store = new SqliteStore({ path: ':memory:' });
 *   return { store, cleanup: () => store.close() };
 * });
 */
export function defineStoreContract(name: string, factory: StoreFactory, options: StoreContractOptions = {}): void {
  const title =
    options.skip === undefined ? `Store contract: ${name}` : `Store contract: ${name} (skipped: ${options.skip})`;
  describe.skipIf(options.skip !== undefined)(title, () => {
    let current: { store: Store; cleanup(): Promise<void> } | undefined;
    const store = (): Store => {
      if (!current) throw new Error('store used outside a test');
      return current.store;
    };

    beforeEach(async () => {
      current = await factory();
      await current.store.init();
    });

    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });

    describe('StoreLifecycle', () => storeLifecycleContract(store));
    describe('WorkspaceStore', () => workspaceStoreContract(store));
    describe('TokenStore', () => tokenStoreContract(store));
    describe('AccountStore', () => accountStoreContract(store));
    describe('PostStore', () => postStoreContract(store));
    describe('DeliveryStore', () => deliveryStoreContract(store));
    describe('HistoryStore', () => historyStoreContract(store));
    describe('PacingStore', () => pacingStoreContract(store));
    describe('HookStore', () => hookStoreContract(store));
    describe('CallbackStore', () => callbackStoreContract(store));
    describe('ChatOutboxStore', () => chatOutboxContract(store));
    describe('ConnectStore', () => connectStoreContract(store));
    describe('AuditStore', () => auditStoreContract(store));
    describe('WebSessionStore', () => webSessionStoreContract(store));
    describe('Removals (AccountStore, DeliveryStore)', () => removalsContract(store));
  });
}
