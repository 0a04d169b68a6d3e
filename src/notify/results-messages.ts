import type { webApi } from '@slack/bolt';
import type { Account, PostWithDeliveries, ResultThreads } from '../core/post.js';
import type { TargetMeasure } from '../core/target-measure.js';
import type { Logger } from '../logger.js';
import type { ResultChannelIds, ResultsChannels } from '../services/posts/results-port.js';
import type { DiscordApi } from './discord/discord-api.js';
import { postMessage as discordMessage } from './discord/message.js';
import { postMessage as slackMessage } from './slack/blocks.js';

export interface ResultsMessagesDeps {
  slack?: webApi.WebClient | undefined;
  discord?: DiscordApi | undefined;
  log: Logger;
  /** How long posting one message may take before the post goes ahead without it; default 10 s. */
  timeoutMs?: number;
}

/**
 * The messages of posts from the API, the CLI and webhooks in the workspace's results channels:
 * the message a `/post` gets (Slack blocks, Discord content and a thread on it), so the
 * delivery notifier replies in their threads as it does for a chat post. A channel that fails
 * (the bot not in it, Slack down) is logged and left out; the post is never refused for it.
 */
export class ResultsMessages implements ResultsChannels {
  constructor(private readonly deps: ResultsMessagesDeps) {}

  async open(
    channels: ResultChannelIds,
    value: PostWithDeliveries,
    accounts: readonly Account[],
    measures: readonly TargetMeasure[],
  ): Promise<ResultThreads> {
    const { slack, discord } = this.deps;
    const [slackThread, discordThread] = await Promise.all([
      channels.slack && slack
        ? this.#attempt('slack', async () => {
            const channel = channels.slack as string;
            const sent = await slack.chat.postMessage({
              channel,
              ...slackMessage(value, accounts, measures),
              unfurl_links: false,
              unfurl_media: false,
            } as never);
            return sent.ts ? { channelId: channel, messageTs: sent.ts } : undefined;
          })
        : undefined,
      channels.discord && discord
        ? this.#attempt('discord', async () => {
            const channel = channels.discord as string;
            const sent = (await discord.send(channel, discordMessage(value, accounts, measures))) as { id: string };
            // A thread started on a message has that message's id (the notifier writes into it).
            await discord.startThread(channel, sent.id, threadName(value));
            return { channelId: channel, messageId: sent.id };
          })
        : undefined,
    ]);
    return { ...(slackThread ? { slack: slackThread } : {}), ...(discordThread ? { discord: discordThread } : {}) };
  }

  async refresh(threads: ResultThreads, value: PostWithDeliveries, accounts: readonly Account[]): Promise<void> {
    await this.#each(
      threads,
      (slack, { channelId, messageTs }) =>
        slack.chat.update({ channel: channelId, ts: messageTs, ...slackMessage(value, accounts) } as never),
      (discord, { channelId, messageId }) => discord.edit(channelId, messageId, discordMessage(value, accounts)),
    );
  }

  async withdraw(threads: ResultThreads): Promise<void> {
    await this.#each(
      threads,
      (slack, { channelId, messageTs }) => slack.chat.delete({ channel: channelId, ts: messageTs }),
      (discord, { channelId, messageId }) => discord.delete(channelId, messageId),
    );
  }

  async unconfirmed(threads: ResultThreads): Promise<void> {
    await this.#each(
      threads,
      (slack, { channelId, messageTs }) =>
        slack.chat.update({ channel: channelId, ts: messageTs, text: unconfirmedText }),
      (discord, { channelId, messageId }) =>
        discord.edit(channelId, messageId, { content: unconfirmedText, embeds: [], components: [] }),
    );
  }

  /** One call per chat the post has a message in, each attempted on its own (see #attempt). */
  async #each(
    threads: ResultThreads,
    onSlack: (slack: webApi.WebClient, thread: NonNullable<ResultThreads['slack']>) => Promise<unknown>,
    onDiscord: (discord: DiscordApi, thread: NonNullable<ResultThreads['discord']>) => Promise<unknown>,
  ): Promise<void> {
    const { slack, discord } = this.deps;
    const { slack: slackThread, discord: discordThread } = threads;
    await Promise.all([
      slackThread && slack ? this.#attempt('slack', () => onSlack(slack, slackThread)) : undefined,
      discordThread && discord ? this.#attempt('discord', () => onDiscord(discord, discordThread)) : undefined,
    ]);
  }

  /** The call, or undefined (logged) when it fails or takes longer than the timeout. */
  async #attempt<T>(chat: 'slack' | 'discord', call: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), this.deps.timeoutMs ?? 10_000);
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (err) {
      const reason = (err as { data?: { error?: string }; message?: string }).data?.error ?? (err as Error).message;
      this.deps.log.warn({ chat, reason }, 'results channel message failed');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The message of a post whose write was cut off: it may or may not have been stored. */
export const unconfirmedText =
  '⚠️ Not confirmed: hayon’s database stopped answering while this post was being saved, and the request ' +
  'got an error. Sent again with the same idempotency key, the request brings this message back if the post ' +
  'was saved; if it was not, the post gets a new message.';

function threadName(value: PostWithDeliveries): string {
  const line = value.post.content.text.split('\n')[0]?.trim() ?? '';
  return line ? `hayon: ${line}`.slice(0, 90) : `hayon: ${value.post.id}`;
}
