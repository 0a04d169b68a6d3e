import { type Actor, systemActor } from '../../core/audit.js';
import { HayonError } from '../../core/errors.js';
import type { PostWithDeliveries } from '../../core/post.js';
import type { PostsServiceDeps } from './deps.js';
import { findPost } from './find-post.js';

/** "Post now": what is still scheduled becomes due at once; 409 when nothing is waiting. */
export async function publishNow(
  deps: PostsServiceDeps,
  workspaceId: string,
  id: string,
  actor: Actor = systemActor,
): Promise<PostWithDeliveries> {
  await findPost(deps.store, workspaceId, id);
  const now = deps.clock();
  const brought = await deps.store.bringForward(id, now);
  if (brought === 0) {
    throw new HayonError('conflict', 'nothing scheduled', {
      field: 'id',
      userMessage: 'Nothing is waiting to be published: every delivery of this post is already due, done or cancelled.',
    });
  }
  const details = { deliveries: brought };
  await deps.audit?.record({ workspaceId, actor, action: 'post.published_now', target: id, details });
  const after = await findPost(deps.store, workspaceId, id);
  if (deps.onDueNow) deps.onDueNow(after);
  else deps.onScheduled?.(now);
  return after;
}
