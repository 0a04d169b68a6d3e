import type { DeliveryEvent, Notifier } from './notifier.js';
import type { Origin } from './post.js';

/**
 * Sends each event to the notifier for where its post came from; every event also goes to each
 * of `always` (the log, the callback outbox), whatever happens to the others.
 */
export class RoutingNotifier implements Notifier {
  readonly #always: Notifier[];

  constructor(
    private readonly routes: Partial<Record<Origin['kind'], Notifier>>,
    ...always: Notifier[]
  ) {
    this.#always = always;
  }

  async notify(event: DeliveryEvent): Promise<void> {
    const all = [...this.#always, this.routes[event.post.origin.kind]].filter((n) => n !== undefined);
    const results = await Promise.allSettled(all.map((n) => n.notify(event)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
