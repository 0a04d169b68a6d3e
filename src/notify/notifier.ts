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
