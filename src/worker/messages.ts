import type { Delivery } from '../core/post.js';
import type { TransportMessage } from '../queue/transport.js';

export function deliveryMessage(
  d: Pick<Delivery, 'id' | 'postId' | 'platform'>,
  correlationId: string,
): TransportMessage {
  return { kind: 'delivery', v: 1, deliveryId: d.id, postId: d.postId, platform: d.platform, correlationId };
}

/**
 * Messages for deliveries whose posts we have not loaded: the correlation ids of all their posts
 * are read at once (`PostStore.correlationIds`). A delivery whose post is not found (not stored
 * yet, or never: see MongoStore's createPost) is sent with its post id as correlation id, and the
 * worker that claims it decides. A delivery due after `now` (taken ahead by the scheduler) carries
 * its due time as `notBefore`.
 */
export async function messagesFor(
  deliveries: readonly Delivery[],
  correlationIds: (postIds: readonly string[]) => Promise<Map<string, string>>,
  now = Number.POSITIVE_INFINITY,
): Promise<TransportMessage[]> {
  if (deliveries.length === 0) return [];
  const ids = await correlationIds(deliveries.map((d) => d.postId));
  return deliveries.map((d) => {
    const message = deliveryMessage(d, ids.get(d.postId) ?? d.postId);
    return d.dueAt > now ? { ...message, notBefore: d.dueAt } : message;
  });
}
