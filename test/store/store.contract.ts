import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountCases } from './contract/accounts.js';
import { claimCases, reviveCases } from './contract/claims.js';
import { callbackCases, hookCases } from './contract/hooks.js';
import { connectCases } from './contract/connect.js';
import { tokensAuditCases } from './contract/tokens-audit.js';
import { waitingCases } from './contract/waiting.js';
import { historyPacingCases } from './contract/history-pacing.js';
import { postCases } from './contract/posts.js';
import { schedulingCases } from './contract/scheduling.js';
import { workspaceCases } from './contract/workspaces.js';
import type { Store } from '../../src/store/store.js';

export interface StoreContractOptions {
  /** Skips the whole suite; the reason is shown in the suite's name. */
  skip?: string;
}

export type StoreFactory = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

/**
 * The Store port's contract: every adapter's test calls this with a factory that returns a fresh,
 * empty store (not yet initialised: the suite calls `init()`) and a cleanup that closes it and
 * removes its data. The cases follow the doc comments in store.ts.
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

    describe('lifecycle', () => {
      it('init() twice is fine and keeps data', async () => {
        const ws = await store().ensureWorkspace({ id: 'ws_1', name: 'one', createdAt: 1 });
        await store().init();
        expect(await store().getWorkspace('ws_1')).toEqual(ws);
      });

      it('ping() resolves on a working store', async () => {
        await expect(store().ping()).resolves.toBeUndefined();
      });
    });

    describe('workspaces and tokens', () => workspaceCases(store));
    describe('accounts', () => accountCases(store));
    describe('posts', () => postCases(store));
    describe('scheduling', () => schedulingCases(store));
    describe('claims and attempts', () => claimCases(store));
    describe('reviving parked deliveries', () => reviveCases(store));
    describe('hooks', () => hookCases(store));
    describe('callbacks', () => callbackCases(store));
    describe('connect flows', () => connectCases(store));
    describe('tokens, workspaces and the audit log', () => tokensAuditCases(store));
    describe('accounts that stop working', () => waitingCases(store));
    describe('history, breakdown and pacing', () => historyPacingCases(store));
  });
}
