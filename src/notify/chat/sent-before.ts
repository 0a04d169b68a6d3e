import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { ChatMessage } from '../../core/chat-message.js';

/**
 * A message sent again after an attempt whose answer was lost (Slack or Discord went down with
 * the request on its way) must not appear twice. Each message carries its outbox id: on Slack as
 * message metadata, looked for in the thread (or the channel) before a later attempt posts; on
 * Discord as a nonce that Discord itself enforces (`enforce_nonce`: a second message with the
 * nonce within minutes returns the first).
 */
export const outboxEventType = 'hayon_message';

/** Slack message metadata naming the outbox message. */
export function slackMetadata(id: string): { event_type: string; event_payload: { id: string } } {
  return { event_type: outboxEventType, event_payload: { id } };
}

/** A Discord nonce for the outbox message (at most 25 characters, as Discord takes them). */
export function discordNonce(id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 25);
}

type Listed = { messages?: { metadata?: { event_type?: string; event_payload?: { id?: unknown } } }[] } & {
  response_metadata?: { next_cursor?: string };
};

/**
 * Whether an earlier attempt at `message` reached Slack after all: its id in the metadata of a
 * message in its thread (or, for a message of its own, in the channel since it was stored).
 * Undefined when Slack will not say (a bot without `channels:history`): the caller posts.
 */
export async function sentToSlackBefore(
  slack: webApi.WebClient,
  message: ChatMessage,
  channel: string,
  threadTs: string | undefined,
): Promise<boolean | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    let listed: Listed;
    try {
      const args = { channel, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      listed = (
        threadTs
          ? await slack.conversations.replies({ ...args, ts: threadTs })
          : await slack.conversations.history({ ...args, oldest: String((message.createdAt - 1_000) / 1000) })
      ) as Listed;
    } catch (err) {
      // Slack's own answer (a missing scope, say): it cannot tell; anything else is tried again.
      if ((err as { code?: unknown }).code === 'slack_webapi_platform_error') return undefined;
      throw err;
    }
    const found = listed.messages?.some(
      (m) => m.metadata?.event_type === outboxEventType && m.metadata.event_payload?.id === message.id,
    );
    if (found) return true;
    cursor = listed.response_metadata?.next_cursor || undefined;
    if (!cursor) return false;
  }
  return false;
}
