import type { PostWithDeliveries } from '../../core/post.js';
import type { PostsServiceDeps } from './deps.js';

/** Tells the scheduler about a stored post: sent at once when due, else a timer is set. */
export function dispatchPost(
  deps: Pick<PostsServiceDeps, 'clock' | 'onDueNow' | 'onScheduled'>,
  value: PostWithDeliveries,
): void {
  const at = value.post.scheduledAt;
  if (at <= deps.clock() && deps.onDueNow) deps.onDueNow(value);
  else deps.onScheduled?.(at);
}
