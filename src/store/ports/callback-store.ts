import type { Callback, CallbackOutcome } from '../../core/hook.js';

/**
 * The callback outbox: events to POST to callback URLs, each taken under a lease by one sender at
 * a time and tried again until it is sent or given up.
 */
export interface CallbackStore {
  /** Stores a callback to send; false, and nothing written, when one with its id exists. */
  addCallback(callback: Callback): Promise<boolean>;
  /**
   * Atomically takes up to `limit` callbacks that are `pending` and due, or `sending` under a
   * lease that ran out before `now` (their sender died): each becomes `sending` until
   * `leaseUntil`, attempts + 1. Two senders never get the same callback.
   */
  takeDueCallbacks(now: number, leaseUntil: number, limit: number): Promise<Callback[]>;
  /** Records an attempt: `sent`, back to `pending` at `dueAt`, or `failed` for good. */
  finishCallback(id: string, outcome: CallbackOutcome, at: number): Promise<void>;
  /** A post's callbacks, oldest first (for `hayon posts show` and tests). */
  listCallbacks(postId: string): Promise<Callback[]>;
  /** The earliest `dueAt` among pending callbacks, or null. */
  nextCallbackDueAt(): Promise<number | null>;
}
