import { forPost, type Logger } from '../logger.js';
import type { DeliveryEvent, Notifier } from './notifier.js';
import type { Origin } from '../core/post.js';
import { resultThreadsOf } from '../services/posts/results-channels.js';

/**
 * Sends each event to the notifier for where its post came from; every event also goes to each
 * of `always` (the log, the callback outbox), whatever happens to the others. A post from the
 * API, the CLI or a webhook with a message in the workspace's results channels is answered
 * there too, by the same Slack and Discord notifiers, exactly as a post made in that chat. The
 * reply where the post came from (a Slack or Discord thread) is logged with the post's
 * correlation id.
 */
export class RoutingNotifier implements Notifier {
  constructor(
    private readonly routes: Partial<Record<Origin['kind'], Notifier>>,
    private readonly always: readonly Notifier[],
    private readonly log: Logger,
  ) {}

  async notify(event: DeliveryEvent): Promise<void> {
    const replies = [event.post.origin, ...chatOrigins(event.post.origin)].map((origin) => {
      const route = this.routes[origin.kind];
      const routed = origin === event.post.origin ? event : { ...event, post: { ...event.post, origin } };
      return route?.notify(routed).then(() => {
        forPost(this.log, event.post).info(
          { deliveryId: event.delivery.id, platform: event.delivery.platform, event: event.kind, origin: origin.kind },
          `reply sent in ${origin.kind}`,
        );
      });
    });
    const results = await Promise.allSettled([...this.always.map((n) => n.notify(event)), ...replies]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** The results threads of a post as the chat origins whose notifiers reply in them. */
function chatOrigins(origin: Origin): Origin[] {
  const threads = resultThreadsOf(origin);
  const out: Origin[] = [];
  if (threads?.slack) out.push({ kind: 'slack', teamId: '', ...threads.slack });
  if (threads?.discord) {
    const { channelId, messageId } = threads.discord;
    out.push({ kind: 'discord', guildId: '', channelId, messageId, threadId: messageId });
  }
  return out;
}
