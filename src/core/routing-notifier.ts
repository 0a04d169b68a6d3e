import type { DeliveryEvent, Notifier } from './notifier.js';
import type { Origin } from './post.js';

/** Sends each event to the notifier for where its post came from; every event also goes to `always` (the log). */
export class RoutingNotifier implements Notifier {
  constructor(
    private readonly routes: Partial<Record<Origin['kind'], Notifier>>,
    private readonly always?: Notifier,
  ) {}

  async notify(event: DeliveryEvent): Promise<void> {
    await this.always?.notify(event);
    await this.routes[event.post.origin.kind]?.notify(event);
  }
}
