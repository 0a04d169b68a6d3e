import type { Delivery, Post } from '../core/post.js';

/** Something the author should hear about a delivery. */
export type DeliveryEvent =
  | { kind: 'published'; post: Post; delivery: Delivery }
  | {
      kind: 'retrying';
      post: Post;
      delivery: Delivery;
      reason: string;
      nextAttemptAt: number;
      /** Nothing was sent and no attempt used: held back by pacing or waiting for a reconnect. */
      held?: boolean | undefined;
    }
  | { kind: 'failed'; post: Post; delivery: Delivery; reason: string };

/**
 * Replies where a post came from (a Slack or Discord thread, a signed callback). Implementations
 * route by `post.origin.kind`. A notification that fails must not fail the delivery: the
 * worker catches and logs.
 */
export interface Notifier {
  notify(event: DeliveryEvent): Promise<void>;
}

export const silentNotifier: Notifier = { notify: async () => {} };

/** The event's id: the same for the same outcome, so what tells of it is stored (and received) once. */
export function deliveryEventId(event: DeliveryEvent): string {
  const { delivery } = event;
  switch (event.kind) {
    case 'published':
      return `${delivery.id}.published`;
    case 'retrying':
      return `${delivery.id}.retrying.${delivery.attempts}`;
    case 'failed':
      return `${delivery.id}.failed.${delivery.lastError?.at ?? delivery.attempts}`;
  }
}

/** A delivery event's id for a chat reply: a held or retried delivery is told of each time it is moved. */
export function chatEventId(event: DeliveryEvent): string {
  const id = deliveryEventId(event);
  return event.kind === 'retrying' ? `${id}.${event.nextAttemptAt}` : id;
}
