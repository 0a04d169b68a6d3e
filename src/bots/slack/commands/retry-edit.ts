import type { AllMiddlewareArgs, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { Actor } from '../../../core/audit.js';
import { HayonError } from '../../../core/errors.js';
import { editableStates } from '../../../core/delivery-state.js';
import type { Post, PlatformId } from '../../../core/post.js';
import type { MediaRef } from '../../../core/post-request.js';
import { formatInZone } from '../../../core/schedule.js';
import { mayPost, type SlackDeps, userMessage } from '../context.js';
import { postModal } from '../modal.js';
import { actor, ephemeral, guarded, refreshMessage, type SlackAuthor } from '../respond.js';
import { stageSlackFile, submission } from './post-modal.js';

const auditActor = (who: SlackAuthor): Actor => ({
  kind: 'slack',
  id: who.userId,
  ...(who.userName ? { name: who.userName } : {}),
});

/** A time as the form shows it and reads it back: `2026-12-07 17:00 Europe/Berlin`. */
function shownWhen(post: Pick<Post, 'scheduledAt' | 'timezone'>): string {
  return `${formatInZone(post.scheduledAt, post.timezone).slice(0, 16)} ${post.timezone}`;
}

/** Retry: the post's failed deliveries again, with the same keys; on the summary and every failure reply. */
export async function retryButton(
  deps: SlackDeps,
  { ack, body, action, client }: SlackActionMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const who = actor(body);
  const postId = (action as { value?: string }).value ?? '';
  await guarded(deps, client, who, async () => {
    const value = await deps.posts.retry(deps.workspaceId, postId, auditActor(who));
    await refreshMessage(deps, client, value);
    await ephemeral(client, who, `Retrying what failed of \`${postId}\`; the results follow in its thread.`);
  });
}

/**
 * Edit: the `/post` form, filled in with the post as it is (text, targets, time, per-platform
 * texts, link card, thread). A post that has started publishing is answered privately instead.
 */
export async function editButton(
  deps: SlackDeps,
  { ack, body, action, client }: SlackActionMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const who = actor(body);
  const postId = (action as { value?: string }).value ?? '';
  const triggerId = (body as { trigger_id?: string }).trigger_id ?? '';
  try {
    const allowed = await mayPost(deps, client, who);
    if (!allowed.ok) return void (await ephemeral(client, who, allowed.message));
    const { post, deliveries } = await deps.posts.get(deps.workspaceId, postId);
    const started = deliveries.filter((d) => d.state !== 'cancelled' && !editableStates.includes(d.state));
    if (started.length > 0 || deliveries.every((d) => d.state === 'cancelled')) {
      const why = started.length ? 'it has started publishing' : 'it was cancelled';
      return void (await ephemeral(
        client,
        who,
        `This post can no longer be edited: ${why}. Make a new one with /post.`,
      ));
    }
    const accounts = await deps.accounts.list(deps.workspaceId);
    const overrides = Object.fromEntries(
      Object.entries(post.overrides).flatMap(([p, o]) => (o?.text ? [[p, o.text]] : [])),
    ) as Partial<Record<PlatformId, string>>;
    const media = post.content.media.length;
    await client.views.open({
      trigger_id: triggerId,
      view: postModal({
        metadata: { channelId: who.channelId, fileIds: [], postId, whenShown: shownWhen(post) },
        accounts,
        defaultTargets: deliveries.filter((d) => d.state !== 'cancelled').map((d) => d.accountId),
        text: post.content.text,
        when: shownWhen(post),
        whenEcho: `Keeps its time unless you change it.${media ? ` Its ${media} attachment(s) stay unless you choose files.` : ''}`,
        overrides,
        linkPreview: post.content.linkPreview !== false,
        thread: post.content.thread === 'auto',
      }) as never,
    });
  } catch (e) {
    await ephemeral(client, who, `:warning: ${userMessage(e)}`).catch(() => undefined);
  }
}

/** The Edit form submitted: what changed goes to `posts.edit()`, and the post's message is updated. */
export async function editModalSubmitted(
  deps: SlackDeps,
  { ack, body, view, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  const { values, metadata, who } = submission(body, view);
  if (values.targets.length === 0)
    return void (await ack({ response_action: 'errors', errors: { targets: 'Choose at least one account.' } }));
  await ack();
  await guarded(deps, client, who, async () => {
    const postId = metadata.postId ?? '';
    const { post } = await deps.posts.get(deps.workspaceId, postId);
    const media: MediaRef[] = [];
    for (const [i, file] of values.fileIds.entries()) {
      const id = await stageSlackFile(deps, client, file, `files[${i}]`);
      const alt = values.alts[i];
      media.push({ id, ...(alt ? { alt } : {}) });
    }
    const patch: Record<string, unknown> = { text: values.text, targets: values.targets };
    if (values.when !== (metadata.whenShown ?? '')) patch.when = values.when || 'now';
    if (media.length) patch.media = media;
    const overrides = editedOverrides(post, values.overrides);
    if (overrides) patch.overrides = overrides;
    if (values.linkPreview !== (post.content.linkPreview !== false)) patch.linkPreview = values.linkPreview;
    if (values.thread !== (post.content.thread === 'auto')) patch.thread = values.thread ? 'auto' : 'off';
    const outcome = await deps.posts.edit(deps.workspaceId, postId, patch, auditActor(who));
    await refreshMessage(deps, client, outcome.value);
    await ephemeral(client, who, `Saved \`${postId}\`: ${outcome.schedule.local}.`);
  });
}

/**
 * The post's overrides with the form's per-platform texts (their thread and options kept); undefined
 * when no text changed, so an edit of other fields leaves them as they are.
 */
function editedOverrides(post: Post, texts: Partial<Record<PlatformId, string>>): Post['overrides'] | undefined {
  const platforms = [...new Set([...Object.keys(post.overrides), ...Object.keys(texts)] as PlatformId[])];
  if (platforms.every((p) => (post.overrides[p]?.text ?? '') === (texts[p] ?? ''))) return undefined;
  // Attachments of an override (from the API) cannot go back through the form: rather than drop
  // them, the change is refused with where to make it.
  const withMedia = platforms.find((p) => post.overrides[p]?.media?.length);
  if (withMedia) {
    throw new HayonError('invalid_request', 'override media', {
      field: `overrides.${withMedia}`,
      userMessage: `This post has its own attachments for ${withMedia}, which this form cannot keep: change its per-platform texts with \`hayon posts edit\` or the API.`,
    });
  }
  const out: Post['overrides'] = {};
  for (const p of platforms) {
    const { text: _before, ...rest } = post.overrides[p] ?? {};
    const text = texts[p];
    const next = { ...rest, ...(text ? { text } : {}) };
    if (Object.keys(next).length) out[p] = next;
  }
  return out;
}
