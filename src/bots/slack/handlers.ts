import type { App, webApi } from '@slack/bolt';
import { HayonError } from '../../core/errors.js';
import type { PlatformId, PostWithDeliveries } from '../../core/post.js';
import type { MediaRef, PostRequestInput } from '../../core/post-request.js';
import { parseWhen } from '../../core/schedule.js';
import { platformNames } from '../../core/platform-names.js';
import { parsePostText } from '../post-text.js';
import { stillScheduled, summaryLine } from '../post-summary.js';
import { actionIds, escapeMrkdwn, postMessage, whenLine } from './blocks.js';
import { fallbackZone, mayPost, type SlackDeps, userMessage, userTimezone } from './context.js';
import { type ModalMetadata, postModal, postModalCallbackId, readModal } from './modal.js';

type Client = webApi.WebClient;

/** What a post from Slack needs beyond its request: who, where. */
interface SlackAuthor {
  teamId: string;
  channelId: string;
  userId: string;
  userName?: string | undefined;
}

/** Registers every listener: commands, buttons, the modal, the shortcut. One place, plain handlers. */
export function registerSlackHandlers(app: App, deps: SlackDeps): void {
  app.command('/post', async ({ command, ack, client }) => {
    await ack();
    const who = {
      teamId: command.team_id,
      channelId: command.channel_id,
      userId: command.user_id,
      userName: command.user_name,
    };
    if (!command.text.trim()) return openModal(deps, client, who, command.trigger_id, {});
    await guarded(deps, client, who, async () => {
      const timezone = await userTimezone(client, who.userId, await fallbackZone(deps));
      const accounts = await deps.store.listAccounts(deps.workspaceId);
      const parsed = parsePostText(command.text, {
        timezone,
        now: deps.clock(),
        accountIds: accounts.map((a) => a.id),
      });
      const targets = parsed.targets ?? (await defaultTargets(deps));
      await publish(deps, client, who, {
        text: parsed.text,
        targets,
        ...(parsed.when ? { when: parsed.when } : {}),
        timezone,
      });
    });
  });

  app.command('/hayon', async ({ command, ack, client }) => {
    await ack();
    const who = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    const [sub] = command.text.trim().split(/\s+/);
    const reply = (text: string, blocks?: unknown[]) =>
      client.chat.postEphemeral({ channel: who.channelId, user: who.userId, text, ...(blocks ? { blocks } : {}) });
    if (sub === 'status') return void (await reply(...(await statusMessage(deps, who.channelId))));
    if (sub === 'accounts') return void (await reply(await accountsMessage(deps)));
    await reply(helpText);
  });

  app.action(actionIds.cancel, async ({ ack, body, action, client }) => {
    await ack();
    const who = actor(body);
    const postId = (action as { value?: string }).value ?? '';
    await guarded(deps, client, who, async () => {
      const value = await deps.posts.cancel(deps.workspaceId, postId);
      await refreshMessage(deps, client, value);
      if (isEphemeral(body)) await ephemeral(client, who, `Cancelled \`${postId}\`.`);
    });
  });

  app.action(actionIds.postNow, async ({ ack, body, action, client }) => {
    await ack();
    const who = actor(body);
    const postId = (action as { value?: string }).value ?? '';
    await guarded(deps, client, who, async () => {
      const value = await deps.posts.postNow(deps.workspaceId, postId);
      await refreshMessage(deps, client, value);
    });
  });

  // "When" in the modal, on Enter: the resolved time (or why not) under the field, before submit.
  app.action(actionIds.when, async ({ ack, body, action, client }) => {
    await ack();
    const view = (body as { view?: { id: string; hash: string; private_metadata: string } }).view;
    if (!view) return;
    const typed = ((action as { value?: string }).value ?? '').trim();
    const userId = (body as { user: { id: string } }).user.id;
    const timezone = await userTimezone(client, userId, await fallbackZone(deps));
    let echo: string;
    try {
      echo = typed
        ? `→ *${parseWhen(typed, { timezone, now: deps.clock() }).local}*`
        : 'Publishes as soon as you submit.';
    } catch (e) {
      echo = `:warning: ${escapeMrkdwn(userMessage(e))}`;
    }
    const metadata = JSON.parse(view.private_metadata) as ModalMetadata;
    const accounts = await deps.store.listAccounts(deps.workspaceId);
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: postModal({ metadata, accounts, defaultTargets: await defaultTargets(deps), whenEcho: echo }) as never,
    });
  });

  app.view(postModalCallbackId, async ({ ack, body, view, client }) => {
    const values = readModal(view.state.values as never);
    const metadata = JSON.parse(view.private_metadata) as ModalMetadata;
    const who = {
      teamId: body.team?.id ?? '',
      channelId: metadata.channelId,
      userId: body.user.id,
      userName: body.user.name,
    };
    const fileIds = [...metadata.fileIds, ...values.fileIds];
    // Cheap checks answer in the modal itself; Slack waits 3 s for them.
    const errors: Record<string, string> = {};
    if (!values.text.trim() && fileIds.length === 0) errors.text = 'Write something or attach a file.';
    if (values.targets.length === 0) errors.targets = 'Choose at least one account.';
    const timezone = await userTimezone(client, who.userId, await fallbackZone(deps));
    try {
      parseWhen(values.when, { timezone, now: deps.clock() });
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
      });
    });
  });

  // A message shortcut: the message's text and files into the same modal.
  app.shortcut('hayon_post_to_social', async ({ ack, shortcut, client }) => {
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
  });
}

const helpText = `*hayon* publishes to Bluesky, Mastodon, Tumblr, Threads, Instagram and Facebook.
• \`/post Launch day! https://example.com tomorrow 9am to bluesky,mastodon\`: text, then a time, then \`to\` and the accounts (default: the workspace's default set)
• \`/post\` alone: a form with files, alt text and a text per platform
• The message shortcut *Post to social* starts the form from any message
• \`/hayon status\`: this channel's scheduled posts · \`/hayon accounts\`: connected accounts · \`/hayon help\``;

/** Runs a handler's work; a refusal or an error becomes an ephemeral message to the user. */
async function guarded(deps: SlackDeps, client: Client, who: SlackAuthor, work: () => Promise<void>): Promise<void> {
  try {
    const allowed = await mayPost(deps, client, who);
    if (!allowed.ok) return void (await ephemeral(client, who, allowed.message));
    await work();
  } catch (e) {
    const he = HayonError.from(e);
    if (he.status >= 500) deps.log.error({ err: e }, 'slack handler failed');
    await ephemeral(client, who, `:warning: ${he.publicMessage}`).catch((err: unknown) =>
      deps.log.warn({ err }, 'could not tell the user about an error'),
    );
  }
}

function ephemeral(client: Client, who: SlackAuthor, text: string) {
  return client.chat.postEphemeral({ channel: who.channelId, user: who.userId, text });
}

/**
 * The message first (its `ts` is where results go), then the post; when the post is refused the
 * message is deleted and the user told why, so nothing half-made stays in the channel.
 */
async function publish(deps: SlackDeps, client: Client, who: SlackAuthor, request: PostRequestInput): Promise<void> {
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
    const current = (await deps.store.getPost(outcome.value.post.id)) ?? outcome.value;
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

/** The workspace's default set, else every active account. */
async function defaultTargets(deps: SlackDeps): Promise<string[]> {
  const workspace = await deps.store.getWorkspace(deps.workspaceId);
  const set = workspace?.settings?.defaultTargets;
  if (set?.length) return set;
  const accounts = await deps.store.listAccounts(deps.workspaceId);
  const active = accounts.filter((a) => a.health === 'active').map((a) => a.id);
  if (active.length === 0) {
    throw new HayonError('invalid_request', 'no accounts', {
      userMessage: `No accounts are connected to this workspace yet: \`hayon accounts add bluesky … --workspace ${deps.workspaceId}\`.`,
    });
  }
  return active;
}

async function openModal(
  deps: SlackDeps,
  client: Client,
  who: SlackAuthor,
  triggerId: string,
  from: { text?: string; files?: { id: string; name?: string }[] },
): Promise<void> {
  try {
    const allowed = await mayPost(deps, client, who);
    if (!allowed.ok) return void (await ephemeral(client, who, allowed.message));
    const accounts = await deps.store.listAccounts(deps.workspaceId);
    const files = from.files ?? [];
    await client.views.open({
      trigger_id: triggerId,
      view: postModal({
        metadata: { channelId: who.channelId, fileIds: files.map((f) => f.id) },
        accounts,
        defaultTargets: await defaultTargets(deps).catch(() => []),
        text: from.text,
        fileNames: files.map((f) => f.name ?? f.id),
      }) as never,
    });
  } catch (e) {
    await ephemeral(client, who, `:warning: ${userMessage(e)}`).catch(() => undefined);
  }
}

/** A Slack file into the media store: `files.info` for its private URL, downloaded with the bot token. */
async function stageSlackFile(deps: SlackDeps, client: Client, fileId: string, field: string): Promise<string> {
  const info = await client.files.info({ file: fileId });
  const url = info.file?.url_private_download ?? info.file?.url_private;
  if (!url) {
    throw new HayonError('invalid_request', 'file without url', {
      field,
      userMessage: `Slack did not give hayon the file ${info.file?.name ?? fileId}.`,
    });
  }
  return deps.media.stageUrl(
    deps.workspaceId,
    url,
    { headers: { authorization: `Bearer ${deps.botToken}` }, trustedHosts: [deps.apiHost] },
    info.file?.name ? `${field} (${info.file.name})` : field,
  );
}

/** Edits the post's own message (where it was posted from Slack) to its current state. */
async function refreshMessage(deps: SlackDeps, client: Client, value: PostWithDeliveries): Promise<void> {
  const origin = value.post.origin;
  if (origin.kind !== 'slack' || !origin.messageTs) return;
  const accounts = await deps.store.listAccounts(deps.workspaceId);
  await client.chat.update({
    channel: origin.channelId,
    ts: origin.messageTs,
    ...postMessage(value, accounts),
  } as never);
}

async function statusMessage(deps: SlackDeps, channelId: string): Promise<[string, unknown[]]> {
  const posts = (await deps.posts.list(deps.workspaceId, { limit: 100 })).filter(
    (p) => p.post.origin.kind === 'slack' && p.post.origin.channelId === channelId && stillScheduled(p),
  );
  if (posts.length === 0) return ['Nothing is scheduled from this channel.', []];
  const accounts = await deps.store.listAccounts(deps.workspaceId);
  const blocks = posts
    .sort((a, b) => a.post.scheduledAt - b.post.scheduledAt)
    .slice(0, 20)
    .map((p) => ({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${whenLine(p.post)}* · ${summaryLine(p, accounts)}\n${escapeMrkdwn(p.post.content.text.slice(0, 140))}`,
      },
      accessory: {
        type: 'button',
        action_id: actionIds.cancel,
        text: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
        value: p.post.id,
      },
    }));
  return [`${posts.length} scheduled from this channel`, blocks];
}

async function accountsMessage(deps: SlackDeps): Promise<string> {
  const accounts = await deps.store.listAccounts(deps.workspaceId);
  if (accounts.length === 0) {
    return `No accounts are connected yet: \`hayon accounts add bluesky … --workspace ${deps.workspaceId}\`.`;
  }
  return accounts
    .map(
      (a) =>
        `${a.health === 'active' ? ':large_green_circle:' : ':red_circle:'} ${platformNames[a.platform]} ${escapeMrkdwn(a.handle)}: ${a.health}`,
    )
    .join('\n');
}

function actor(body: unknown): SlackAuthor {
  const b = body as {
    team?: { id: string };
    user: { id: string };
    channel?: { id: string };
    container?: { channel_id?: string };
  };
  return { teamId: b.team?.id ?? '', userId: b.user.id, channelId: b.channel?.id ?? b.container?.channel_id ?? '' };
}

function isEphemeral(body: unknown): boolean {
  return Boolean((body as { container?: { is_ephemeral?: boolean } }).container?.is_ephemeral);
}
