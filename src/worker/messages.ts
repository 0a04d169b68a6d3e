import type { Delivery, Post } from '../core/post.js';
import type { TransportMessage } from '../queue/transport.js';

export function deliveryMessage(
  d: Pick<Delivery, 'id' | 'postId' | 'platform'>,
  correlationId: string,
): TransportMessage {
  return { kind: 'delivery', v: 1, deliveryId: d.id, postId: d.postId, platform: d.platform, correlationId };
}

/**
 * Messages for deliveries whose post we have not loaded: the correlation id is looked up once
 * per post. Deliveries of a post that vanished are skipped.
 */
export async function messagesFor(
  deliveries: readonly Delivery[],
  loadPost: (id: string) => Promise<Pick<Post, 'correlationId'> | null>,
): Promise<TransportMessage[]> {
  const correlation = new Map<string, string | null>();
  const out: TransportMessage[] = [];
  for (const d of deliveries) {
    if (!correlation.has(d.postId)) correlation.set(d.postId, (await loadPost(d.postId))?.correlationId ?? null);
    const id = correlation.get(d.postId);
    if (id) out.push(deliveryMessage(d, id));
  }
  return out;
}
