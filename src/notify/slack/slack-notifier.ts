import type { webApi } from '@slack/bolt';
import type { DeliveryEvent, Notifier } from '../notifier.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { PostStore } from '../../store/ports/post-store.js';
import { PerKeyQueue } from '../../core/per-key-queue.js';
import { eventText, failureReply, postMessage } from './blocks.js';

export interface SlackNotifierDeps {
  client: webApi.WebClient;
  /** The workspace's accounts (to name a target) and the post's deliveries now (for the summary). */
  store: AccountStore & PostStore;
}

/**
 * Replies in the thread of hayon's message for a post from Slack: one reply per delivery event
 * (published with its link, retried with why and when, failed with what to do), and an edit of
 * the message itself to the post's summary ("2/3 published, Tumblr failed").
 */
export class SlackNotifier implements Notifier {
  /** Edits of one message run in order, each reading the store when its turn comes. */
  readonly #edits = new PerKeyQueue();

  constructor(private readonly deps: SlackNotifierDeps) {}

  async notify(event: DeliveryEvent): Promise<void> {
    const { post, delivery } = event;
    if (post.origin.kind !== 'slack') return;
    const { channelId, messageTs } = post.origin;
    const { client, store } = this.deps;
    const accounts = await store.listAccounts(post.workspaceId);
    const text = eventText(event, delivery, post, accounts);
    await client.chat.postMessage({
      channel: channelId,
      ...(event.kind === 'failed' ? failureReply(text, post.id) : { text }),
      ...(messageTs ? { thread_ts: messageTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!messageTs) return;
    await this.#edits.run(post.id, async () => {
      const current = await store.getPost(post.id);
      if (current) await client.chat.update({ channel: channelId, ts: messageTs, ...postMessage(current, accounts) });
    });
  }
}
