import { editableStates } from '../../../core/delivery-state.js';
import type { Account, Post, PostWithDeliveries } from '../../../core/post.js';
import { formatInZone } from '../../../core/schedule.js';
import { postMessage } from '../../../notify/discord/message.js';
import { type DiscordDeps, type Handled, type Interaction, mayPost, reply } from '../context.js';

type DiscordActor = { kind: 'discord'; id?: string | undefined; name?: string };

/** A time as the form shows it and reads it back: `2026-12-07 17:00 Europe/Berlin`. */
function shownWhen(post: Pick<Post, 'scheduledAt' | 'timezone'>): string {
  return `${formatInZone(post.scheduledAt, post.timezone).slice(0, 16)} ${post.timezone}`;
}

/** `bluesky:alice.test, tumblr:alice`: the targets as the form shows them and `targets` reads them. */
function shownTargets(value: PostWithDeliveries, accounts: readonly Account[]): string {
  return value.deliveries
    .filter((d) => d.state !== 'cancelled')
    .map((d) => {
      const account = accounts.find((a) => a.id === d.accountId);
      return account ? `${d.platform}:${account.handle}` : d.accountId;
    })
    .join(', ');
}

/**
 * The post's own message edited (type 7) when the button or form was on it; otherwise a private
 * answer, and the post's message edited after.
 */
function answered(deps: DiscordDeps, i: Interaction, value: PostWithDeliveries, accounts: Account[], said: string) {
  const origin = value.post.origin;
  if (origin.kind === 'discord' && origin.messageId === i.message?.id) {
    return { response: { type: 7, data: postMessage(value, accounts) } };
  }
  return {
    response: reply(said),
    after: async () => {
      if (origin.kind === 'discord' && origin.messageId) {
        await deps.api.edit(origin.channelId, origin.messageId, postMessage(value, accounts));
      }
    },
  };
}

/** Retry (`hayon:retry:<id>`), on the summary and on every failure reply: what failed goes out again, with the same keys. */
export async function retryButton(
  deps: DiscordDeps,
  i: Interaction,
  postId: string,
  actor: DiscordActor,
): Promise<Handled> {
  const value = await deps.posts.retry(deps.workspaceId, postId, actor);
  const accounts = await deps.accounts.list(deps.workspaceId);
  return answered(deps, i, value, accounts, `Retrying what failed of \`${postId}\`; the results follow in its thread.`);
}

/**
 * Edit (`hayon:edit:<id>`): a Discord modal with the post's text, time and targets filled in
 * (Discord modals hold text fields only; attachments and per-platform texts stay as they are).
 */
export async function editButton(deps: DiscordDeps, postId: string): Promise<Handled> {
  const value = await deps.posts.get(deps.workspaceId, postId);
  const started = value.deliveries.filter((d) => d.state !== 'cancelled' && !editableStates.includes(d.state));
  if (started.length > 0 || value.deliveries.every((d) => d.state === 'cancelled')) {
    const why = started.length ? 'it has started publishing' : 'it was cancelled';
    return { response: reply(`This post can no longer be edited: ${why}. Make a new one with /post.`) };
  }
  const accounts = await deps.accounts.list(deps.workspaceId);
  const input = (id: string, label: string, style: 1 | 2, current: string, max: number) => ({
    type: 1,
    components: [
      { type: 4, custom_id: id, label, style, value: current.slice(0, max), max_length: max, required: id !== 'text' },
    ],
  });
  return {
    response: {
      type: 9,
      data: {
        custom_id: `hayon:edit-save:${postId}`,
        title: 'Edit post',
        components: [
          input('text', 'Text', 2, value.post.content.text, 4000),
          input('when', 'When (now, tomorrow 9am, 2026-12-24 09:00 Europe/Berlin)', 1, shownWhen(value.post), 100),
          input('targets', 'Post to (bluesky, mastodon:handle, …)', 1, shownTargets(value, accounts), 300),
        ],
      },
    },
  };
}

/** The Edit modal submitted (`hayon:edit-save:<id>`): what changed goes to `posts.edit()`. */
export async function editSubmitted(deps: DiscordDeps, i: Interaction): Promise<Handled> {
  const postId = (i.data?.custom_id ?? '').split(':')[2] ?? '';
  const refusal = await mayPost(deps, i);
  if (refusal) return { response: reply(refusal) };
  const fields = new Map(
    ((i.data as { components?: { components?: { custom_id: string; value?: string }[] }[] })?.components ?? [])
      .flatMap((row) => row.components ?? [])
      .map((c) => [c.custom_id, c.value ?? '']),
  );
  const before = await deps.posts.get(deps.workspaceId, postId);
  const accounts = await deps.accounts.list(deps.workspaceId);
  const patch: Record<string, unknown> = {};
  const text = fields.get('text');
  if (text !== undefined && text !== before.post.content.text) patch.text = text;
  const when = fields.get('when')?.trim();
  if (when !== undefined && when !== shownWhen(before.post)) patch.when = when || 'now';
  const targets = fields.get('targets')?.trim();
  if (targets !== undefined && targets !== shownTargets(before, accounts)) {
    patch.targets = targets
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  }
  if (Object.keys(patch).length === 0) return { response: reply('Nothing was changed.') };
  const user = i.member?.user;
  const actor = { kind: 'discord' as const, id: user?.id, ...(user?.username ? { name: user.username } : {}) };
  const outcome = await deps.posts.edit(deps.workspaceId, postId, patch, actor);
  return answered(deps, i, outcome.value, accounts, `Saved \`${postId}\`: ${outcome.schedule.local}.`);
}
