import type { PostWithDeliveries } from '../core/post.js';
import { forPost, type Logger } from '../logger.js';
import type { MetricsSink } from './metrics.js';

/**
 * What each accepted post leaves behind: a count per source (`hayon_posts_created_total`) and a
 * "post accepted" log line with its ids. Given to the posts service as its `onCreated`.
 */
export function observePostAccepted(
  metrics: Pick<MetricsSink, 'postCreated'>,
  log: Logger,
): (created: PostWithDeliveries) => void {
  return ({ post, deliveries }) => {
    metrics.postCreated(post.origin.kind);
    forPost(log, post).info(
      {
        source: post.origin.kind,
        workspaceId: post.workspaceId,
        deliveries: deliveries.length,
        scheduledAt: new Date(post.scheduledAt).toISOString(),
      },
      'post accepted',
    );
  };
}
