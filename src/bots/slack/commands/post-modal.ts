import { defaultTargets } from '../../default-targets.js';
import type {
  AllMiddlewareArgs,
  SlackActionMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { HayonError } from '../../../core/errors.js';
import type { PlatformId } from '../../../core/post.js';
import type { MediaRef } from '../../../core/post-request.js';
import { whenPreview } from '../../when-preview.js';
import { escapeMrkdwn } from '../../../notify/slack/blocks.js';
import { fallbackZone, mayPost, type SlackDeps, userMessage, userTimezone } from '../context.js';
import { type ModalMetadata, postModal, readModal } from '../modal.js';
import { type Client, ephemeral, guarded, publish, type SlackAuthor } from '../respond.js';

/** "When", on Enter: the resolved time (or why not) under the field, before submit. */
export async function whenTyped(
  deps: SlackDeps,
  { ack, body, action, client }: SlackActionMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const view = (body as { view?: { id: string; hash: string; private_metadata: string } }).view;
  if (!view) return;
  const typed = ((action as { value?: string }).value ?? '').trim();
  const userId = (body as { user: { id: string } }).user.id;
  const timezone = await userTimezone(client, userId, await fallbackZone(deps));
  let echo: string;
  try {
    echo = typed
      ? `→ *${(await whenPreview(deps, typed, { timezone, now: deps.clock() })).local}*`
      : 'Publishes as soon as you submit.';
  } catch (e) {
    echo = `:warning: ${escapeMrkdwn(userMessage(e))}`;
  }
  const metadata = JSON.parse(view.private_metadata) as ModalMetadata;
  const accounts = await deps.accounts.list(deps.workspaceId);
  await client.views.update({
    view_id: view.id,
    hash: view.hash,
    view: postModal({
      metadata,
      accounts,
      defaultTargets: await defaultTargets(deps, deps.workspaceId),
      whenEcho: echo,
    }) as never,
  });
}

/** A submitted form: what it holds, what it carried, and who sent it (in the channel it was opened from). */
export function submission(
  body: SlackViewMiddlewareArgs['body'],
  view: SlackViewMiddlewareArgs['view'],
): { values: ReturnType<typeof readModal>; metadata: ModalMetadata; who: SlackAuthor } {
  const metadata = JSON.parse(view.private_metadata) as ModalMetadata;
  const who = {
    teamId: body.team?.id ?? '',
    channelId: metadata.channelId,
    userId: body.user.id,
    userName: body.user.name,
  };
  return { values: readModal(view.state.values as never), metadata, who };
}

/** The form submitted: cheap errors back into the form, then files, the post, the message. */
export async function modalSubmitted(
  deps: SlackDeps,
  { ack, body, view, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  const { values, metadata, who } = submission(body, view);
  const fileIds = [...metadata.fileIds, ...values.fileIds];
  // Cheap checks answer in the modal itself; Slack waits 3 s for them.
  const errors: Record<string, string> = {};
  if (!values.text.trim() && fileIds.length === 0) errors.text = 'Write something or attach a file.';
  if (values.targets.length === 0) errors.targets = 'Choose at least one account.';
  const timezone = await userTimezone(client, who.userId, await fallbackZone(deps));
  try {
    await whenPreview(deps, values.when, { timezone, now: deps.clock() });
  } catch (e) {
    errors.when = userMessage(e);
  }
  if (Object.keys(errors).length) return void (await ack({ response_action: 'errors', errors }));
  await ack();
  await guarded(deps, client, who, async () => {
    const media: MediaRef[] = [];
    for (const [i, file] of fileIds.entries()) {
      const id = await stageSlackFile(deps, client, file, `files[${i}]`);
      const alt = values.alts[i];
      media.push({ id, ...(alt ? { alt } : {}) });
    }
    const overrides = Object.fromEntries(
      Object.entries(values.overrides).map(([platform, text]) => [platform, { text }]),
    ) as Partial<Record<PlatformId, { text: string }>>;
    await publish(deps, client, who, {
      text: values.text,
      targets: values.targets,
      ...(values.when ? { when: values.when } : {}),
      timezone,
      media,
      ...(Object.keys(overrides).length ? { overrides } : {}),
      ...(values.linkPreview ? {} : { linkPreview: false }),
      ...(values.thread ? { thread: 'auto' as const } : {}),
    });
  });
}

/** A message shortcut: the message's text and files into the same form. */
export async function postToSocialShortcut(
  deps: SlackDeps,
  { ack, shortcut, client }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const s = shortcut as unknown as {
    trigger_id: string;
    team?: { id: string };
    user: { id: string };
    channel?: { id: string };
    message?: { text?: string; files?: { id: string; name?: string }[] };
  };
  const who = { teamId: s.team?.id ?? '', channelId: s.channel?.id ?? '', userId: s.user.id };
  await openModal(deps, client, who, s.trigger_id, {
    text: s.message?.text ?? '',
    files: s.message?.files ?? [],
  });
}

export async function openModal(
  deps: SlackDeps,
  client: Client,
  who: SlackAuthor,
  triggerId: string,
  from: { text?: string; files?: { id: string; name?: string }[] },
): Promise<void> {
  try {
    const allowed = await mayPost(deps, client, who);
    if (!allowed.ok) return void (await ephemeral(client, who, allowed.message));
    const accounts = await deps.accounts.list(deps.workspaceId);
    const files = from.files ?? [];
    await client.views.open({
      trigger_id: triggerId,
      view: postModal({
        metadata: { channelId: who.channelId, fileIds: files.map((f) => f.id) },
        accounts,
        defaultTargets: await defaultTargets(deps, deps.workspaceId).catch(() => []),
        text: from.text,
        fileNames: files.map((f) => f.name ?? f.id),
      }) as never,
    });
  } catch (e) {
    await ephemeral(client, who, `:warning: ${userMessage(e)}`).catch(() => undefined);
  }
}

/** A Slack file into the media store: `files.info` for its private URL, downloaded with the bot token. */
export async function stageSlackFile(deps: SlackDeps, client: Client, fileId: string, field: string): Promise<string> {
  const info = await client.files.info({ file: fileId });
  const url = info.file?.url_private_download ?? info.file?.url_private;
  if (!url) {
    throw new HayonError('invalid_request', 'file without url', {
      field,
      userMessage: `Slack did not give hayon the file ${info.file?.name ?? fileId} (it may have been deleted, or be an external link): attach it again as a file.`,
    });
  }
  return deps.media.stageUrl(
    deps.workspaceId,
    url,
    { headers: { authorization: `Bearer ${deps.botToken}` }, trustedHosts: [deps.apiHost] },
    info.file?.name ? `${field} (${info.file.name})` : field,
  );
}
