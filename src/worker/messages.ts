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
 * are read at once (`PostStore.correlationIds`). Deliveries of a post that vanished are skipped. A
 * delivery due after `now` (taken ahead by the scheduler) carries its due time as `notBefore`.
 */
export async function messagesFor(
  deliveries: readonly Delivery[],
  correlationIds: (postIds: readonly string[]) => Promise<Map<string, string>>,
  now = Number.POSITIVE_INFINITY,
): Promise<TransportMessage[]> {
  if (deliveries.length === 0) return [];
  const ids = await correlationIds(deliveries.map((d) => d.postId));
  return deliveries.flatMap((d) => {
    const id = ids.get(d.postId);
    if (!id) return [];
    const message = deliveryMessage(d, id);
    return [d.dueAt > now ? { ...message, notBefore: d.dueAt } : message];
  });
}
