import { forPost, type Logger } from '../logger.js';
import type { DeliveryEvent, Notifier } from './notifier.js';
import type { Origin } from '../core/post.js';

/**
 * Sends each event to the notifier for where its post came from; every event also goes to each
 * of `always` (the log, the callback outbox), whatever happens to the others. The reply where
 * the post came from (a Slack or Discord thread) is logged with the post's correlation id.
 */
export class RoutingNotifier implements Notifier {
  constructor(
    private readonly routes: Partial<Record<Origin['kind'], Notifier>>,
    private readonly always: readonly Notifier[],
    private readonly log: Logger,
  ) {}

  async notify(event: DeliveryEvent): Promise<void> {
    const origin = event.post.origin.kind;
    const route = this.routes[origin];
    const replied = route?.notify(event).then(() => {
      forPost(this.log, event.post).info(
        { deliveryId: event.delivery.id, platform: event.delivery.platform, event: event.kind, origin },
        `reply sent in ${origin}`,
      );
    });
    const results = await Promise.allSettled([...this.always.map((n) => n.notify(event)), replied]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
