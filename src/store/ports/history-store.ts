import type { AttemptRecord } from '../../core/history.js';

/**
 * A post's history: one record per attempt of each delivery (`hayon posts show --log`), written
 * with the attempt's outcome by `DeliveryStore.finishAttempt`.
 */
export interface HistoryStore {
  /** A post's attempt records, oldest first. */
  listAttemptRecords(postId: string): Promise<AttemptRecord[]>;
}
