import type { Logger } from '../logger.js';
import type { DeliveryEvent, Notifier } from '../notify/notifier.js';

/**
 * Stores a delivery's notifications (chat replies, callbacks) once its outcome is recorded. The
 * notifier writes to the store's outboxes; when the store is briefly away (a restart, a failover)
 * the write is tried again with a growing pause (200 ms to 2 s) for `retryMs`, so a reply is
 * delayed rather than lost. Every write has a fixed id, so trying again never doubles one. Past
 * `retryMs`, or once the worker is stopping, the failure is logged.
 */
export async function notifyPatiently(
  notifier: Notifier,
  event: DeliveryEvent,
  options: { retryMs: number; stopping: () => boolean; log: Logger },
): Promise<void> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await notifier.notify(event);
      return;
    } catch (err) {
      const pause = Math.min(200 * 2 ** attempt, 2_000);
      if (options.stopping() || performance.now() - started + pause > options.retryMs) {
        options.log.warn({ err }, 'notification failed');
        return;
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
