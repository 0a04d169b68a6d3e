import type { Logger } from '../logger.js';
import type { DeliveryEvent, Notifier } from './notifier.js';

/**
 * For posts made by the API or the CLI there is nowhere to reply (the caller reads
 * `GET /v1/posts/:id`, or gives a callback URL: #8): the outcome goes to the log.
 */
export class LogNotifier implements Notifier {
  constructor(private readonly log: Logger) {}

  async notify(event: DeliveryEvent): Promise<void> {
    const fields = {
      postId: event.post.id,
      correlationId: event.post.correlationId,
      deliveryId: event.delivery.id,
      platform: event.delivery.platform,
    };
    if (event.kind === 'published') this.log.info({ ...fields, url: event.delivery.result?.url }, 'post published');
    else if (event.kind === 'retrying')
      this.log.info({ ...fields, next: new Date(event.nextAttemptAt).toISOString() }, 'post retrying');
    else this.log.warn({ ...fields, reason: event.reason }, 'post failed');
  }
}
