import type { Delivery, DeliveryCheckpoint, DeliveryError, DeliveryResult } from '../../core/post.js';
import type { AttemptRecord, DeliveryBreakdownRow } from '../../core/history.js';

/** A claim: the delivery now `publishing` under our lease, and the state it was claimed from. */
export interface Claim {
  delivery: Delivery;
  /** `unknown` means a previous attempt may have reached the platform: reconcile first. */
  from: 'queued' | 'unknown';
}

/** How an attempt ended; recorded only if our lease still holds. */
export type AttemptOutcome =
  | { kind: 'published'; result: DeliveryResult; at: number }
  /** Try again at `dueAt`: `queued` when the transport carries the delay, `scheduled` when the store's scheduler does. */
  | {
      kind: 'retry';
      state: 'queued' | 'scheduled';
      dueAt: number;
      error: DeliveryError;
      /** The attempt did not reach the platform (its account needs reconnecting): it does not count. */
      refundAttempt?: boolean;
    }
  | { kind: 'failed'; error: DeliveryError };

/** An attempt's progress: see `DeliveryStore.saveProgress`. */
export interface DeliveryProgress {
  chain?: DeliveryResult[];
  checkpoint?: DeliveryCheckpoint | null;
}

/**
 * Deliveries (one post to one account) through their states: the scheduler's due ones, a worker's
 * claim, lease and attempt, the sweeper's lapsed leases and stranded messages, a revival, and the
 * counts for health and `hayon queue status`. Every state change of a delivery is one atomic
 * conditional update (a compare-and-set on its state and, while publishing, its lease owner), so
 * that any number of workers and schedulers can share a store without a post going out twice.
 */
export interface DeliveryStore {
  getDelivery(id: string): Promise<Delivery | null>;
  /**
   * Atomically moves up to `limit` deliveries that are `scheduled` with `dueAt <= now` to
   * `queued` and returns them, oldest due first. Two schedulers never get the same delivery.
   */
  takeDue(now: number, limit: number): Promise<Delivery[]>;
  /**
   * The same for the given deliveries only (those just created, due now): each that is still
   * `scheduled` and due moves to `queued` and is returned. A lookup by id, no search, so a busy
   * store is not scanned for every new post.
   */
  takeDueByIds(ids: readonly string[], now: number): Promise<Delivery[]>;
  /** The earliest `dueAt` among `scheduled` deliveries, or null when there is none. */
  nextDueAt(): Promise<number | null>;
  /**
   * Claims a delivery for publishing: `queued` (with `dueAt <= now`) or `unknown` → `publishing`,
   * attempts + 1, lease to `owner` until `leaseUntil`. Null when it is not claimable (already
   * published, cancelled, claimed by another worker, or not due yet).
   */
  claim(id: string, owner: string, now: number, leaseUntil: number): Promise<Claim | null>;
  /** Extends our lease while a long publish runs; false if we lost it. */
  renewLease(id: string, owner: string, leaseUntil: number): Promise<boolean>;
  /**
   * Saves what an attempt has done so far, if `owner` still holds the lease (false otherwise):
   * the thread parts published (`chain`, replacing the stored one) and the adapter's checkpoint
   * (`null` removes it). Written before the next step, so a retry resumes instead of repeating.
   */
  saveProgress(id: string, owner: string, progress: DeliveryProgress, at: number): Promise<boolean>;
  /**
   * Records an attempt's outcome if `owner` still holds the lease; false otherwise. `record`, the
   * attempt for the post's history (`listAttemptRecords`), is kept in the same write, and only
   * when the outcome is: one write per finished attempt.
   */
  finishAttempt(
    id: string,
    owner: string,
    outcome: AttemptOutcome,
    at: number,
    record?: AttemptRecord,
  ): Promise<boolean>;
  /**
   * Moves `publishing` deliveries whose lease ran out before `now` to `unknown`, due `now` (the
   * sweeper sends them at once), and returns them.
   */
  expireLeases(now: number, limit: number): Promise<Delivery[]>;
  /**
   * Deliveries in `state` (`queued` or `unknown`) whose `dueAt` is before `olderThan`: their
   * message was probably lost between store and broker, or its process died. Each is returned
   * with `dueAt` moved to `now`, so it is taken once per `now - olderThan` and not on every sweep
   * while its resent message waits in a long queue. The sweeper sends them again; a duplicate
   * message is harmless because the claim decides. One state per call: an equality every
   * server can use without a scan.
   */
  takeStranded(state: 'queued' | 'unknown', olderThan: number, now: number, limit: number): Promise<Delivery[]>;
  /**
   * Gives a parked delivery (`failed`) a new life after its cause was fixed: `failed` → `queued`
   * (its message is on its way: a replay from the parking lot), or `to` `scheduled` (the
   * scheduler sends it: a retry asked for through the API, the CLI or a chat button); due `now`,
   * attempts back to 0, the last error, a thread's chain and the checkpoint kept (so a retry
   * resumes, never repeats). False when the delivery is not `failed`.
   */
  reviveDelivery(id: string, now: number, to?: 'queued' | 'scheduled'): Promise<boolean>;
  /**
   * Marks a delivery whose posts were taken down from the platform (`DELETE /v1/posts/:id`):
   * `published` or `failed` (a thread that failed half-way) → `deleted`, its result and chain
   * kept (they name what was there). False when the delivery is in neither state.
   */
  markDeliveryDeleted(id: string, at: number): Promise<boolean>;
  /**
   * An account was reconnected: its deliveries waiting for that (`scheduled` with an `auth`
   * last error) become due at `now`. Returns how many.
   */
  wakeWaitingDeliveries(accountId: string, now: number): Promise<number>;
  /** Counts deliveries per state, for health and `hayon queue status`. */
  countDeliveries(): Promise<Record<string, number>>;
  /**
   * Deliveries per platform and state with the earliest due time of each, for `hayon queue
   * status`. `failed` deliveries that gave up after their attempts on a passing error (those
   * parked for a replay) are counted as `parked`.
   */
  deliveryBreakdown(): Promise<DeliveryBreakdownRow[]>;
}
