import type { AttemptRecord } from '../core/history.js';
import { newId } from '../core/ids.js';
import type { Delivery } from '../core/post.js';
import type { AttemptOutcome } from '../store/store.js';

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
