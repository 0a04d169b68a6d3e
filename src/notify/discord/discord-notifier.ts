import { chatEventId, type DeliveryEvent, type Notifier } from '../notifier.js';
import { formatInZone } from '../../core/schedule.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { ChatOutbox } from '../chat/chat-outbox.js';
import { targetName, whatToDo } from '../post-summary.js';
import { retryRow } from './message.js';

/**
 * Posts each delivery event into the thread on hayon's reply (the link; why and when it is
 * retried; why it failed and what to do), and edits the reply into the post's summary, rendered
 * when it is sent. Both go through the chat outbox, in order in the thread.
 */
export class DiscordNotifier implements Notifier {
  constructor(private readonly deps: { outbox: ChatOutbox; store: AccountStore }) {}

  async notify(event: DeliveryEvent): Promise<void> {
    const { post, delivery } = event;
    if (post.origin.kind !== 'discord') return;
    const { channelId, messageId, threadId } = post.origin;
    const accounts = await this.deps.store.listAccounts(post.workspaceId);
    const who = targetName(delivery, accounts);
    const content =
      event.kind === 'published'
        ? `✅ ${who}: published ${delivery.result?.url ?? ''}`.trim()
        : event.kind === 'retrying' && event.held
          ? `⏳ ${who}: ${event.reason}`
          : event.kind === 'retrying'
            ? `🔁 ${who}: attempt ${delivery.attempts} did not go through (${event.reason}). Trying again at ${formatInZone(event.nextAttemptAt, post.timezone)}.`
            : `❌ ${who} failed: ${event.reason}. ${whatToDo(delivery)}`;
    const retry = event.kind === 'failed' ? { components: [retryRow(post.id)] } : {};
    const where = threadId ?? channelId;
    const id = `${chatEventId(event)}.discord.${where}`;
    const about = {
      chat: 'discord',
      thread: `discord:${where}`,
      workspaceId: post.workspaceId,
      postId: post.id,
    } as const;
    const body = { content, allowed_mentions: { parse: [] }, ...retry };
    await this.deps.outbox.add(
      { ...about, id, request: { op: 'post', channelId: where, body } },
      ...(messageId
        ? [
            {
              ...about,
              id: `${id}.summary`,
              request: { op: 'summary', channelId, messageId, postId: post.id },
            } as const,
          ]
        : []),
    );
  }
}
