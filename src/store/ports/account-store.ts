import type { Account, AccountHealth, Delivery } from '../../core/post.js';

/**
 * Connected platform accounts: their sealed credentials and their health. A change of health or
 * credentials that several workers may race on is a compare-and-set.
 */
export interface AccountStore {
  createAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | null>;
  listAccounts(workspaceId: string): Promise<Account[]>;
  /**
   * Replaces the encrypted credentials (a refreshed session, a new token). With `ifCurrent`,
   * only while the stored value is still that one: re-sealing the same credentials with a new
   * key must never overwrite a session another worker refreshed meanwhile.
   */
  updateAccountCredentials(id: string, credentials: string, at: number, ifCurrent?: string): Promise<void>;
  setAccountHealth(id: string, health: AccountHealth, reason: string | undefined, at: number): Promise<void>;
  /**
   * `active` → `health`, atomically: true only for the caller that made the change, so the
   * workspace is told once that an account stopped working.
   */
  markAccountUnhealthy(
    id: string,
    health: Exclude<AccountHealth, 'active'>,
    reason: string,
    at: number,
  ): Promise<boolean>;
  /**
   * The account's deliveries that have not finished: `scheduled`, `queued`, `publishing` or
   * `unknown`, oldest due first. What keeps an account from being removed.
   */
  waitingDeliveriesOf(accountId: string): Promise<Delivery[]>;
  /** Moves the account's `scheduled | queued | unknown` deliveries to `cancelled`; returns how many. */
  cancelDeliveriesOf(accountId: string, at: number): Promise<number>;
  /**
   * Removes the account and its sealed credentials. Its finished deliveries stay (they are the
   * history of their posts) and keep its id. False when there was no such account.
   */
  removeAccount(id: string): Promise<boolean>;
}
