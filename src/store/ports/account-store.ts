import type { Account, AccountHealth } from '../../core/post.js';

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
}
