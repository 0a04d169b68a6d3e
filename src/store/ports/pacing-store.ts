import type { PaceLedger } from '../../core/pacing.js';

/** Pacing under platforms' write limits: one ledger per account, shared by every worker. */
export interface PacingStore {
  getPacing(accountId: string): Promise<PaceLedger | null>;
  /**
   * Stores `ledger` if the stored one is still the version before it (none, for version 1): a
   * compare-and-set, so two workers spending on one account at once never both count on the
   * same room. False, and nothing written, when another write came first.
   */
  putPacing(ledger: PaceLedger): Promise<boolean>;
}
