import type { DeliveryError, DeliveryState, PlatformId } from './post.js';

/**
 * One attempt at one delivery, as `hayon posts show <id> --log` prints it: who ran it, when, how
 * long it took and how it ended. Written by the worker after the attempt's outcome is recorded,
 * so the history never shows an attempt the delivery's state does not.
 */
export interface AttemptRecord {
  id: string;
  postId: string;
  deliveryId: string;
  platform: PlatformId;
  accountId: string;
  /** The delivery's attempt number (a held attempt, which used none, has the number it would have had). */
  attempt: number;
  /** The worker that ran it (its lease owner). */
  worker: string;
  startedAt: number;
  endedAt: number;
  /**
   * `held`: nothing was sent to the platform; the delivery waits (for the account's write limit
   * to allow it, or for a reconnect) and the attempt does not count.
   */
  outcome: 'published' | 'retrying' | 'held' | 'failed';
  error?: DeliveryError | undefined;
  url?: string | undefined;
  /** When the next attempt may start (retrying, held). */
  nextAttemptAt?: number | undefined;
}

/** Deliveries of one platform in one state (`hayon queue status`). */
export interface DeliveryBreakdownRow {
  platform: PlatformId;
  /** `parked`: failed after spending its attempts on a passing error, kept for a replay. */
  state: DeliveryState | 'parked';
  count: number;
  /** The earliest due time among them, for the states still to go out (scheduled, queued, publishing, unknown). */
  oldestDueAt: number | null;
}
