import type { webApi } from '@slack/bolt';
import { HayonError } from '../../core/errors.js';
import { messageFor } from '../../core/next-step.js';
import type { PostWithDeliveries } from '../../core/post.js';
import type { PostRequestInput } from '../../core/post-request.js';
import { postMessage } from '../../notify/slack/blocks.js';
import { resultThreadsOf } from '../../services/posts/results-channels.js';
import { mayPost, type SlackDeps } from './context.js';

export type Client = webApi.WebClient;

/** What a post from Slack needs beyond its request: who, where. */
export interface SlackAuthor {
  teamId: string;
  channelId: string;
  userId: string;
  userName?: string | undefined;
}

/** Runs a handler's work; a refusal or an error becomes an ephemeral message to the user. */
export async function guarded(
  deps: SlackDeps,
  client: Client,
  who: SlackAuthor,
  work: () => Promise<void>,
): Promise<void> {
  try {
    const allowed = await mayPost(deps, client, who);
    if (!allowed.ok) return void (await ephemeral(client, who, allowed.message));
    await work();
  } catch (e) {
    const he = HayonError.from(e);
    if (he.status >= 500) deps.log.error({ err: e }, 'slack handler failed');
    await ephemeral(client, who, `:warning: ${messageFor(he, 'slack')}`).catch((err: unknown) =>
      deps.log.warn({ err }, 'could not tell the user about an error'),
    );
  }
}

export function ephemeral(client: Client, who: SlackAuthor, text: string) {
  return client.chat.postEphemeral({ channel: who.channelId, user: who.userId, text });
}

/**
 * The message first (its `ts` is where results go), then the post; when the post is refused the
 * message is deleted and the user told why, so nothing half-made stays in the channel.
 */
export async function publish(
  deps: SlackDeps,
  client: Client,
  who: SlackAuthor,
  request: PostRequestInput,
): Promise<void> {
  let ts: string;
  try {
    const placeholder = await client.chat.postMessage({
      channel: who.channelId,
      text: ':hourglass_flowing_sand: Scheduling…',
    });
    ts = placeholder.ts ?? '';
  } catch (e) {
    const error = (e as { data?: { error?: string } }).data?.error;
    if (error === 'not_in_channel' || error === 'channel_not_found') {
      throw new HayonError('invalid_request', 'not in channel', {
        userMessage: 'Invite hayon to this channel first (`/invite @hayon`), then post again.',
      });
    }
    throw e;
  }
  try {
    const outcome = await deps.posts.create(request, {
      workspaceId: deps.workspaceId,
      origin: { kind: 'slack', teamId: who.teamId, channelId: who.channelId, messageTs: ts },
      author: { id: who.userId, ...(who.userName ? { name: who.userName } : {}) },
      defaultTimezone: deps.defaultTimezone,
    });
    const measures = await deps.posts.measure(outcome.value, outcome.accounts);
    // The worker may already have moved on; show what the store holds now.
    const current = await deps.postQueries.latest(outcome.value);
    await client.chat.update({
      channel: who.channelId,
      ts,
      ...postMessage(current, outcome.accounts, measures),
    } as never);
  } catch (e) {
    await client.chat.delete({ channel: who.channelId, ts }).catch(() => undefined);
    throw e;
  }
}

/**
 * Edits the post's own message to its current state: where it was posted from Slack, or its
 * message in the workspace's Slack results channel (a post from the API, the CLI or a webhook).
 */
export async function refreshMessage(deps: SlackDeps, client: Client, value: PostWithDeliveries): Promise<void> {
  const origin = value.post.origin;
  const message =
    origin.kind === 'slack'
      ? origin.messageTs && { channelId: origin.channelId, messageTs: origin.messageTs }
      : resultThreadsOf(origin)?.slack;
  if (!message) return;
  const accounts = await deps.accounts.list(deps.workspaceId);
  await client.chat.update({
    channel: message.channelId,
    ts: message.messageTs,
    ...postMessage(value, accounts),
  } as never);
}

export function actor(body: unknown): SlackAuthor {
  const b = body as {
    team?: { id: string };
    user: { id: string; username?: string; name?: string };
    channel?: { id: string };
    container?: { channel_id?: string };
  };
  const userName = b.user.username ?? b.user.name;
  return {
    teamId: b.team?.id ?? '',
    userId: b.user.id,
    channelId: b.channel?.id ?? b.container?.channel_id ?? '',
    ...(userName ? { userName } : {}),
  };
}

export function isEphemeral(body: unknown): boolean {
  return Boolean((body as { container?: { is_ephemeral?: boolean } }).container?.is_ephemeral);
}
