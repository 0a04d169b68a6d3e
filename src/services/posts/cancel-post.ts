import { type Actor, systemActor } from '../../core/audit.js';
import { cancellableStates } from '../../core/delivery-state.js';
import { HayonError } from '../../core/errors.js';
import type { PostWithDeliveries } from '../../core/post.js';
import type { PostsServiceDeps } from './deps.js';
import { findPost } from './find-post.js';

/** Cancels what has not gone out yet; a post with nothing left to cancel is a 409. */
export async function cancelPost(
  deps: PostsServiceDeps,
  workspaceId: string,
  id: string,
  actor: Actor = systemActor,
): Promise<PostWithDeliveries> {
  const found = await findPost(deps.store, workspaceId, id);
  if (!found.deliveries.some((d) => cancellableStates.includes(d.state))) {
    throw new HayonError('not_cancellable', 'nothing to cancel', {
      field: 'id',
      userMessage:
        'Nothing left to cancel: every delivery of this post is published, failed, cancelled or being published.',
    });
  }
  const cancelled = await deps.store.cancelPost(id, deps.clock());
  const details = { deliveries: cancelled };
  await deps.audit?.record({ workspaceId, actor, action: 'post.cancelled', target: id, details });
  await deps.onCancelled?.(found.post).catch(() => undefined);
  return findPost(deps.store, workspaceId, id);
}
