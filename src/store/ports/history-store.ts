import type { AttemptRecord } from '../../core/history.js';

/** A post's history: one record per attempt of each delivery (`hayon posts show --log`). */
export interface HistoryStore {
  addAttemptRecord(record: AttemptRecord): Promise<void>;
  /** A post's attempt records, oldest first. */
  listAttemptRecords(postId: string): Promise<AttemptRecord[]>;
}
