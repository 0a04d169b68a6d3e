import { HayonError } from './errors.js';

/** Why the store cannot take a write now, in words a user can act on. */
export type StoreAwayReason = 'not_answering' | 'busy' | 'full';

const why: Record<StoreAwayReason, string> = {
  not_answering: 'the database is not answering',
  busy: 'the database is busy (another process holds its write lock)',
  full: 'the disk of the database is full',
};

/** Seconds a client should wait before it sends the same request again (`Retry-After`). */
export const storeRetryAfterSec = 30;

/**
 * The store cannot be reached or cannot write now (MongoDB down, SQLite locked past its busy
 * timeout or its disk full). Every adapter turns its driver's errors of that kind into this one,
 * so the edges answer 503 with `Retry-After` without knowing the driver. A write that fails this
 * way fails whole (one transaction), so the same request can be sent again (with its idempotency
 * key); but when the connection was lost with the write on its way (`maybeWritten`), it may have
 * been applied before: nothing that depends on it may be undone as if it surely was not.
 */
export class StoreUnavailableError extends HayonError {
  readonly reason: StoreAwayReason;
  readonly maybeWritten: boolean;

  constructor(reason: StoreAwayReason, cause: unknown, maybeWritten = false) {
    const sentence = `hayon cannot save posts right now: ${why[reason]}. Try again in a minute.`;
    super('store_unavailable', `store unavailable: ${reason}`, {
      cause,
      userMessage: sentence,
      retryAfterSec: storeRetryAfterSec,
    });
    this.name = 'StoreUnavailableError';
    this.reason = reason;
    this.maybeWritten = maybeWritten;
  }
}
