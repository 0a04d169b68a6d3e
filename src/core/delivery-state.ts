import type { Delivery, DeliveryState, PostStatus } from './post.js';

/**
 * The delivery state machine (shared/DESIGN.md):
 *
 *   scheduled → queued → publishing → published
 *   publishing → queued     (retry soon, through the transport's delay)
 *   publishing → scheduled  (retry later than the transport can delay: the store's scheduler)
 *   publishing → failed     (permanent, or attempts spent)
 *   publishing → unknown    (lease ran out mid-call) → publishing (after reconciling)
 *   scheduled | queued | unknown → cancelled
 *   failed → queued          (replayed by hand after its cause was fixed: `hayon queue replay-parked`)
 *   failed → scheduled       (retried by hand, due now: `POST /v1/posts/:id/retry`, `hayon posts retry`)
 *   queued → scheduled       (an edit of a post that has not started: its new time, its new content)
 *   published | failed → deleted  (`DELETE /v1/posts/:id` took down what it published: a
 *                            post, or a thread's parts, also those of a thread that failed half-way)
 *
 * Unknown can be cancelled: if the platform did get the post, reconciling will not happen, and
 * the post stays there, which is what cancelling an uncertain attempt has to mean.
 */
const transitions = {
  scheduled: ['queued', 'cancelled'],
  queued: ['publishing', 'cancelled', 'queued', 'scheduled'],
  publishing: ['published', 'queued', 'scheduled', 'failed', 'unknown'],
  unknown: ['publishing', 'cancelled'],
  published: ['deleted'],
  failed: ['queued', 'scheduled', 'deleted'],
  cancelled: [],
  deleted: [],
} as const satisfies Record<DeliveryState, readonly DeliveryState[]>;

export function canTransition(from: DeliveryState, to: DeliveryState): boolean {
  return (transitions[from] as readonly DeliveryState[]).includes(to);
}

export const terminalStates: readonly DeliveryState[] = ['published', 'failed', 'cancelled', 'deleted'];

export function isTerminal(state: DeliveryState): boolean {
  return terminalStates.includes(state);
}

/** States a cancel moves to `cancelled`; a delivery being published cannot be stopped. */
export const cancellableStates: readonly DeliveryState[] = ['scheduled', 'queued', 'unknown'];

/** States whose posts a delete takes down (a failed thread may have published some parts). */
export const deletableStates: readonly DeliveryState[] = ['published', 'failed'];

/** States an edit may change: nothing of the delivery has started publishing. */
export const editableStates: readonly DeliveryState[] = ['scheduled', 'queued'];

/**
 * A post's status, derived from its deliveries (never stored, so it cannot drift).
 * `now` decides between PENDING (due, waiting for a worker) and SCHEDULED (due later).
 */
export function derivePostStatus(
  deliveries: readonly Pick<Delivery, 'state' | 'dueAt' | 'attempts'>[],
  now: number,
): PostStatus {
  if (deliveries.length === 0) return 'PENDING';
  const count = (s: DeliveryState) => deliveries.filter((d) => d.state === s).length;
  const published = count('published');
  const failed = count('failed');
  const cancelled = count('cancelled');
  const deleted = count('deleted');
  if (deliveries.every((d) => isTerminal(d.state))) {
    // Taken down: nothing of it is out any more (what was not published was cancelled or failed).
    if (deleted > 0 && published === 0) return 'DELETED';
    if (published === deliveries.length) return 'COMPLETED';
    if (cancelled === deliveries.length) return 'CANCELLED';
    if (published > 0) return 'PARTIAL_SUCCESS';
    return failed > 0 ? 'FAILED' : 'CANCELLED';
  }
  const active = deliveries.filter((d) => !isTerminal(d.state));
  if (published > 0 || failed > 0) return 'PROCESSING';
  if (active.some((d) => d.state === 'publishing' || d.state === 'unknown' || d.attempts > 0)) return 'PROCESSING';
  if (active.every((d) => d.state === 'scheduled' && d.dueAt > now)) return 'SCHEDULED';
  return 'PENDING';
}
