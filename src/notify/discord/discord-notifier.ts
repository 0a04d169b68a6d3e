import type { DeliveryEvent, Notifier } from '../notifier.js';
import { formatInZone } from '../../core/schedule.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { PostStore } from '../../store/ports/post-store.js';
import { PerKeyQueue } from '../../core/per-key-queue.js';
import { targetName, whatToDo } from '../post-summary.js';
import type { DiscordApi } from './discord-api.js';
import { postMessage, retryRow } from './message.js';

/**
 * Posts each delivery event into the thread on hayon's reply (the link; why and when it is
 * retried; why it failed and what to do), and edits the reply into the post's summary.
 */
export class DiscordNotifier implements Notifier {
  readonly #edits = new PerKeyQueue();

  constructor(private readonly deps: { api: DiscordApi; store: AccountStore & PostStore }) {}

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
    await this.deps.api.send(threadId ?? channelId, { content, allowed_mentions: { parse: [] }, ...retry });
    if (!messageId) return;
    // Edits of one message in order, each with what the store holds when its turn comes.
    await this.#edits.run(post.id, async () => {
      const current = await this.deps.store.getPost(post.id);
      if (current) await this.deps.api.edit(channelId, messageId, postMessage(current, accounts));
    });
  }
}
