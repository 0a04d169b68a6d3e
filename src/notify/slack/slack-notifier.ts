import { chatEventId, type DeliveryEvent, type Notifier } from '../notifier.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { ChatOutbox } from '../chat/chat-outbox.js';
import { eventText, failureReply } from './blocks.js';

export interface SlackNotifierDeps {
  /** Where the reply and the edit go; the ChatSender sends them, in order, through outages. */
  outbox: ChatOutbox;
  /** The workspace's accounts (to name a target). */
  store: AccountStore;
}

/**
 * Replies in the thread of hayon's message for a post from Slack: one reply per delivery event
 * (published with its link, retried with why and when, failed with what to do), and an edit of
 * the message itself to the post's summary ("2/3 published, Tumblr failed"), rendered when it is
 * sent. Both are stored in the chat outbox, in this order, in the thread's sequence.
 */
export class SlackNotifier implements Notifier {
  constructor(private readonly deps: SlackNotifierDeps) {}

  async notify(event: DeliveryEvent): Promise<void> {
    const { post, delivery } = event;
    if (post.origin.kind !== 'slack') return;
    const { channelId, messageTs } = post.origin;
    const accounts = await this.deps.store.listAccounts(post.workspaceId);
    const text = eventText(event, delivery, post, accounts);
    const id = `${chatEventId(event)}.slack.${channelId}`;
    const about = {
      chat: 'slack',
      thread: `slack:${channelId}:${messageTs ?? ''}`,
      workspaceId: post.workspaceId,
      postId: post.id,
    } as const;
    const body = {
      ...(event.kind === 'failed' ? failureReply(text, post.id) : { text }),
      ...(messageTs ? { thread_ts: messageTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    };
    await this.deps.outbox.add(
      { ...about, id, request: { op: 'post', channelId, body } },
      ...(messageTs
        ? [
            {
              ...about,
              id: `${id}.summary`,
              request: { op: 'summary', channelId, messageId: messageTs, postId: post.id },
            } as const,
          ]
        : []),
    );
  }
}
