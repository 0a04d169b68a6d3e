import { patiently } from '../core/patiently.js';
import type { Logger } from '../logger.js';
import type { DeliveryEvent, Notifier } from '../notify/notifier.js';
import type { Transport, TransportMessage } from '../queue/transport.js';
import type { PostStore } from '../store/ports/post-store.js';

/**
 * Stores a delivery's notifications (chat replies, callbacks) once its outcome is recorded. The
 * notifier writes to the store's outboxes; when the store is briefly away the write is tried
 * again ({@link patiently}), so a reply is delayed rather than lost. Every write has a fixed id,
 * so trying again never doubles one. Past `retryMs`, or once the worker is stopping, the failure
 * is logged.
 */
export async function notifyPatiently(
  notifier: Notifier,
  event: DeliveryEvent,
  options: { retryMs: number; stopping: () => boolean; log: Logger },
): Promise<void> {
  await patiently(() => notifier.notify(event), options).catch((err) =>
    options.log.warn({ err }, 'notification failed'),
  );
}

/**
 * A message whose delivery the claim refused (published, cancelled, claimed elsewhere or not due)
 * is dropped (acked). When the delivery is published or failed, its notifications are stored
 * again first: the attempt that finished it may have died between recording the outcome and
 * storing them (a worker killed then), and its message came back from the broker. That is safe:
 * each notification has the outcome's fixed id, so one already stored is not stored twice. A
 * delivery another attempt still holds gets its message back after that attempt's lease.
 */
export async function notifyFinished(
  deps: {
    store: Pick<PostStore, 'getPost'>;
    notifier: Notifier;
    transport: Pick<Transport, 'send' | 'maxDelayMs'>;
    clock: () => number;
  },
  message: TransportMessage,
  options: { retryMs: number; stopping: () => boolean; log: Logger },
): Promise<void> {
  // Read patiently: a message that comes back while the store is away (its first worker was killed
  // right after recording the outcome, during the outage) must not be dropped unread, or the
  // outcome's reply would never be stored.
  const found = await patiently(() => deps.store.getPost(message.postId), options).catch((err: unknown) => {
    options.log.warn(
      { err, deliveryId: message.deliveryId },
      'finished delivery not read: its notifications not stored again',
    );
    return null;
  });
  const delivery = found?.deliveries.find((d) => d.id === message.deliveryId);
  if (!found || !delivery) return;
  const { post } = found;
  if (delivery.state === 'published') {
    await notifyPatiently(deps.notifier, { kind: 'published', post, delivery }, options);
  } else if (delivery.state === 'failed') {
    const reason = delivery.lastError?.message ?? 'failed';
    await notifyPatiently(deps.notifier, { kind: 'failed', post, delivery, reason }, options);
  } else if (delivery.state === 'publishing' && delivery.leaseExpiresAt !== undefined && !options.stopping()) {
    // Another attempt holds it, and its worker may have died with the outcome's write on its way
    // (applied after this read). The message comes back once the lease is over: the delivery is
    // then finished (told of again above) or its lease lapsed (the claim takes it as unknown).
    const delayMs = Math.max(delivery.leaseExpiresAt - deps.clock(), 0) + 1_000;
    if (delayMs > deps.transport.maxDelayMs) return;
    await deps.transport.send([message], { delayMs }).catch((err) => options.log.warn({ err }, 'not sent again'));
  }
}
