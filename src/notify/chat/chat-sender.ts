import type { webApi } from '@slack/bolt';
import type { ChatMessage, ChatMessageOutcome } from '../../core/chat-message.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../logger.js';
import type { AuditLog } from '../../services/audit-log.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { ChatOutboxStore } from '../../store/ports/chat-outbox-store.js';
import type { PostStore } from '../../store/ports/post-store.js';
import type { DiscordApi } from '../discord/discord-api.js';
import { postMessage as discordMessage } from '../discord/message.js';
import { type OutboxLoopOptions, OutboxSender } from '../outbox-loop.js';
import { postMessage as slackMessage } from '../slack/blocks.js';
import { classifyChatError } from './chat-errors.js';
import { discordNonce, sentToSlackBefore, slackMetadata } from './sent-before.js';

export interface ChatSenderOptions extends OutboxLoopOptions {
  /** The wait after the 1st, 2nd, … failed attempt; the last one repeats. */
  retryDelaysMs: readonly number[];
  /** Attempts stop (the message is dropped) this long after it was stored. */
  giveUpAfterMs: number;
  /** The longest Retry-After honoured as asked; a longer one waits this long. */
  maxRetryAfterMs: number;
}

export const defaultChatSenderOptions = {
  pollMs: 5_000,
  leaseMs: 60_000,
  concurrency: 8,
  retryDelaysMs: [2_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000],
  giveUpAfterMs: 24 * 3_600_000,
  maxRetryAfterMs: 3_600_000,
} satisfies ChatSenderOptions;

export interface ChatSenderDeps {
  store: ChatOutboxStore & PostStore & AccountStore;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  /** Clients that throw on a 429 and do not retry (`outboxSlackClient`, `DiscordApi.forOutbox`). */
  slack?: webApi.WebClient | undefined;
  discord?: DiscordApi | undefined;
}

/**
 * Sends the chat outbox (thread replies, summary edits, alerts) on the callback sender's loop:
 * the store hands out only the first unsent message of each thread, so replies arrive in the
 * order they were stored. A 429 waits its Retry-After, an outage backs off, and a message that
 * can never be sent (the channel deleted, the bot removed) or still unsent after 24 hours is
 * dropped with a log line and a `notify.dropped` audit entry.
 */
export class ChatSender extends OutboxSender<ChatMessage> {
  readonly #options: ChatSenderOptions;

  constructor(
    private readonly deps: ChatSenderDeps,
    options: Partial<ChatSenderOptions> = {},
  ) {
    const merged = { ...defaultChatSenderOptions, ...options };
    const { store } = deps;
    super(
      {
        clock: deps.clock,
        log: deps.log,
        name: 'chat',
        take: (now, leaseUntil, limit) => store.takeDueChatMessages(now, leaseUntil, limit),
        nextDueAt: () => store.nextChatMessageDueAt(),
      },
      merged,
    );
    this.#options = merged;
  }

  protected async send(message: ChatMessage): Promise<void> {
    const { store, clock, log } = this.deps;
    const where = { messageId: message.id, chat: message.chat, postId: message.postId, attempt: message.attempts };
    let outcome: ChatMessageOutcome;
    try {
      await this.#deliver(message);
      outcome = { kind: 'sent' };
    } catch (err) {
      const failure = classifyChatError(message.chat, err);
      if (failure.kind === 'permanent') outcome = { kind: 'dropped', error: failure.reason };
      else {
        const wait =
          failure.kind === 'rate-limited' ? Math.min(failure.retryAfterMs, this.#options.maxRetryAfterMs) : undefined;
        outcome = this.#retryOrGiveUp(message, failure.reason, wait);
      }
    }
    await this.recordOutcome(() => store.finishChatMessage(message.id, outcome, clock()));
    if (outcome.kind === 'retry') {
      log.warn(
        { ...where, error: outcome.error, dueAt: outcome.dueAt },
        'chat message not sent; it waits in the outbox',
      );
    } else if (outcome.kind === 'dropped') {
      log.warn({ ...where, error: outcome.error }, 'chat message dropped: it can never be sent');
      await this.deps.audit.record({
        workspaceId: message.workspaceId,
        actor: { kind: 'system' },
        action: 'notify.dropped',
        target: message.postId ?? message.id,
        details: { chat: message.chat, channel: message.request.channelId, reason: outcome.error },
      });
    }
  }

  async #deliver(message: ChatMessage): Promise<void> {
    const { request } = message;
    const { slack, discord } = this.deps;
    if (message.chat === 'slack' && !slack) throw new Error('Slack is not configured in this process.');
    if (message.chat === 'discord' && !discord) throw new Error('Discord is not configured in this process.');
    if (request.op === 'post') {
      if (message.chat === 'discord') {
        await discord?.send(request.channelId, {
          ...request.body,
          nonce: discordNonce(message.id),
          enforce_nonce: true,
        });
        return;
      }
      if (!slack) return;
      const threadTs = typeof request.body.thread_ts === 'string' ? request.body.thread_ts : undefined;
      // A later attempt: the last one may have reached Slack with its answer lost.
      if (message.attempts > 1 && (await sentToSlackBefore(slack, message, request.channelId, threadTs))) {
        this.deps.log.info({ messageId: message.id }, 'chat message was sent by an earlier attempt');
        return;
      }
      await slack.chat.postMessage({
        channel: request.channelId,
        ...request.body,
        metadata: slackMetadata(message.id),
      } as never);
      return;
    }
    // The summary as the store holds it now; a post deleted meanwhile needs no edit.
    const current = await this.deps.store.getPost(request.postId);
    if (!current) return;
    const accounts = await this.deps.store.listAccounts(current.post.workspaceId);
    if (message.chat === 'slack') {
      await slack?.chat.update({
        channel: request.channelId,
        ts: request.messageId,
        ...slackMessage(current, accounts),
      });
    } else {
      await discord?.edit(request.channelId, request.messageId, discordMessage(current, accounts));
    }
  }

  #retryOrGiveUp(message: ChatMessage, error: string, retryAfterMs: number | undefined): ChatMessageOutcome {
    const delays = this.#options.retryDelaysMs;
    const base = retryAfterMs ?? delays[Math.min(message.attempts - 1, delays.length - 1)] ?? 60_000;
    const jitter = retryAfterMs === undefined ? 0.9 + Math.random() * 0.2 : 1;
    const dueAt = this.deps.clock() + Math.round(base * jitter);
    if (dueAt - message.createdAt > this.#options.giveUpAfterMs) {
      return { kind: 'dropped', error: `${error} Gave up after ${message.attempts} attempts.` };
    }
    return { kind: 'retry', dueAt, error };
  }
}
