import { defaultTargets } from '../../default-targets.js';
import { HayonError } from '../../../core/errors.js';
import { messageFor } from '../../../core/next-step.js';
import type { Account, PostWithDeliveries } from '../../../core/post.js';
import type { MediaRef, PostRequestInput } from '../../../core/post-request.js';
import { whenPreview } from '../../when-preview.js';
import { resolveTargets } from '../../../core/targets.js';
import {
  type DiscordDeps,
  ephemeralFlag,
  type Handled,
  type Interaction,
  mayPost,
  options,
  reply,
  str,
  userTimezone,
} from '../context.js';
import { postMessage } from '../../../notify/discord/message.js';

export async function postCommand(deps: DiscordDeps, i: Interaction): Promise<Handled> {
  const refusal = await mayPost(deps, i);
  if (refusal) return { response: reply(refusal) };
  const member = i.member!;
  const o = options(i);
  const timezone = await userTimezone(deps, member.user.id);
  const when = str(o.get('when'))?.trim();
  // Cheap checks answer at once, privately; the rest happens after the deferral.
  await whenPreview(deps, when, { timezone, now: deps.clock() });
  const accounts = await deps.accounts.list(deps.workspaceId);
  const targets = (str(o.get('targets')) ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const chosen = targets.length ? targets : await defaultTargets(deps, deps.workspaceId);
  resolveTargets(chosen, accounts);
  const attachments = [1, 2, 3, 4].flatMap((n) => {
    const id = str(o.get(`image${n}`));
    const file = id ? i.data?.resolved?.attachments?.[id] : undefined;
    return file ? [{ file, alt: str(o.get(`alt${n}`)), n }] : [];
  });
  const request: PostRequestInput = {
    text: str(o.get('text')) ?? '',
    targets: chosen,
    ...(when ? { when } : {}),
    timezone,
    ...(o.get('link_preview')?.value === false ? { linkPreview: false } : {}),
    ...(o.get('thread')?.value === true ? { thread: 'auto' as const } : {}),
  };
  return {
    response: { type: 5 },
    after: () => publish(deps, i, request, attachments),
  };
}

/**
 * After the deferral: the attachments into the media store, the post, a thread on hayon's reply
 * for the results, then the reply edited to the summary. A refusal deletes the reply and tells
 * the author privately, so nothing half-made stays in the channel.
 */
async function publish(
  deps: DiscordDeps,
  i: Interaction,
  request: PostRequestInput,
  attachments: { file: { url: string; filename?: string }; alt: string | undefined; n: number }[],
): Promise<void> {
  const { api } = deps;
  let value: PostWithDeliveries;
  let accounts: Account[];
  let message: { id: string; channel_id: string };
  try {
    message = await api.editOriginal(i.token, { content: ':hourglass_flowing_sand: Scheduling…' });
    const media: MediaRef[] = [];
    for (const { file, alt, n } of attachments) {
      const id = await deps.media.stageUrl(
        deps.workspaceId,
        file.url,
        { trustedHosts: [deps.apiHost] },
        `image${n}${file.filename ? ` (${file.filename})` : ''}`,
      );
      media.push({ id, ...(alt ? { alt } : {}) });
    }
    const outcome = await deps.posts.create(
      { ...request, media },
      {
        workspaceId: deps.workspaceId,
        origin: {
          kind: 'discord',
          guildId: i.guild_id ?? '',
          channelId: message.channel_id,
          messageId: message.id,
          threadId: message.id,
        },
        author: { id: i.member?.user.id, ...(i.member?.user.username ? { name: i.member.user.username } : {}) },
        defaultTimezone: deps.defaultTimezone,
        holdDispatch: true,
      },
    );
    value = outcome.value;
    accounts = outcome.accounts;
  } catch (e) {
    const he = HayonError.from(e);
    if (he.status >= 500) deps.log.error({ err: e }, 'discord post failed');
    await api.deleteOriginal(i.token).catch(() => undefined);
    await api.followUp(i.token, { content: `:warning: ${messageFor(he, 'discord')}`, flags: ephemeralFlag });
    return;
  }
  try {
    // A Discord thread started on a message has that message's id.
    await api.startThread(message.channel_id, message.id, threadName(value));
    const measures = await deps.posts.measure(value, accounts);
    const current = await deps.postQueries.latest(value);
    await api.editOriginal(i.token, postMessage(current, accounts, measures));
  } finally {
    deps.posts.dispatch(value);
  }
}

function threadName(value: PostWithDeliveries): string {
  const line = value.post.content.text.split('\n')[0]?.trim() ?? '';
  return line ? `hayon: ${line}`.slice(0, 90) : `hayon: ${value.post.id}`;
}
