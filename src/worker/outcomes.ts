import { HayonError, PlatformError } from '../core/errors.js';
import type { AttemptRecord } from '../core/history.js';
import { newId } from '../core/ids.js';
import type { Delivery, DeliveryError } from '../core/post.js';
import type { AttemptOutcome } from '../store/ports/delivery-store.js';

/** One attempt as the post's history keeps it (`hayon posts show --log`). */
export function attemptRecord(
  delivery: Delivery,
  outcome: AttemptOutcome,
  at: { worker: string; startedAt: number; endedAt: number },
): AttemptRecord {
  return {
    id: newId('att'),
    postId: delivery.postId,
    deliveryId: delivery.id,
    platform: delivery.platform,
    accountId: delivery.accountId,
    attempt: delivery.attempts,
    ...at,
    outcome: outcome.kind === 'retry' ? (outcome.refundAttempt ? 'held' : 'retrying') : outcome.kind,
    ...(outcome.kind === 'published' ? { url: outcome.result.url } : { error: outcome.error }),
    ...(outcome.kind === 'retry' ? { nextAttemptAt: outcome.dueAt } : {}),
  };
}

/** What is stored and shown about a failure: the kind and a message that holds no secret. */
export function toDeliveryError(e: unknown, at: number): DeliveryError {
  if (e instanceof PlatformError) {
    return { kind: e.kind, message: e.message, at, ...(e.httpStatus !== undefined ? { status: e.httpStatus } : {}) };
  }
  const he = HayonError.from(e);
  // Our own unexpected errors are retried like transient ones (a bug or a blip), but say so.
  return { kind: 'internal', message: he.isClientError ? he.publicMessage : 'Internal error in hayon.', at };
}

/**
 * Whether the store already holds `outcome` for this delivery: the write of it went through but
 * its answer was lost (the database went away mid-call), and trying again was refused because
 * the delivery is no longer `publishing`.
 */
export function holdsOutcome(delivery: Delivery, outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'published':
      return delivery.state === 'published' && delivery.publishedAt === outcome.at;
    case 'failed':
      return delivery.state === 'failed' && delivery.lastError?.at === outcome.error.at;
    case 'retry':
      return delivery.state === outcome.state && delivery.dueAt === outcome.dueAt;
  }
}
