import type { Clock } from '../../core/clock.js';
import { HayonError } from '../../core/errors.js';
import type { Account, PostWithDeliveries } from '../../core/post.js';
import type { MediaRef, PostRequestInput } from '../../core/post-request.js';
import type { PostsService, TargetMeasure } from '../../core/posts-service.js';
import { isValidTimeZone, parseWhen } from '../../core/schedule.js';
import { resolveTargets } from '../../core/targets.js';
import { platformNames } from '../../core/platform-names.js';
import type { Logger } from '../../logger.js';
import type { MediaService } from '../../media/media-service.js';
import type { Store } from '../../store/store.js';
import { stillScheduled, summaryLine, targetName } from '../post-summary.js';
import type { DiscordApi, DiscordBody } from './discord-api.js';

export interface DiscordDeps {
  posts: PostsService;
  store: Store;
  media: MediaService;
  api: DiscordApi;
  clock: Clock;
  log: Logger;
  workspaceId: string;
  defaultTimezone: string;
  /** Host of the Discord API: its attachment downloads are trusted even when private (tests). */
  apiHost: string;
}

/** The parts of an interaction hayon reads (Discord's JSON). */
export interface Interaction {
  id: string;
  type: number;
  token: string;
  guild_id?: string;
  channel_id?: string;
  member?: { user: { id: string; username?: string }; roles: string[]; permissions: string };
  data?: {
    name?: string;
    custom_id?: string;
    options?: CommandOption[];
    resolved?: { attachments?: Record<string, { id: string; url: string; filename?: string }> };
  };
  message?: { id: string; channel_id: string };
}

interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOption[];
}

/** What to answer now, and the work that goes on after the answer (within Discord's 15 minutes). */
export interface Handled {
  response: DiscordBody;
  after?: () => Promise<void>;
}

const ephemeralFlag = 64;
const manageGuild = 1n << 5n;
const administrator = 1n << 3n;
const reply = (content: string): DiscordBody => ({
  type: 4,
  data: { content, flags: ephemeralFlag, allowed_mentions: { parse: [] } },
});

/**
 * Every interaction, whichever way it came (HTTP endpoint or gateway), goes through here:
 * `/post`, `/hayon …`, autocomplete of `when` and `targets`, and the Cancel / Post now buttons.
 */
export async function handleInteraction(deps: DiscordDeps, i: Interaction): Promise<Handled> {
  try {
    switch (i.type) {
      case 1:
        return { response: { type: 1 } };
      case 2:
        if (i.data?.name === 'post') return await postCommand(deps, i);
        if (i.data?.name === 'hayon') return await hayonCommand(deps, i);
        return { response: reply('hayon does not know this command; `hayon discord register` updates them.') };
      case 3:
        return await button(deps, i);
      case 4:
        return { response: { type: 8, data: { choices: await autocomplete(deps, i) } } };
      default:
        return { response: reply('hayon cannot handle this kind of interaction.') };
    }
  } catch (e) {
    const he = HayonError.from(e);
    if (he.status >= 500) deps.log.error({ err: e }, 'discord interaction failed');
    return { response: reply(`:warning: ${he.publicMessage}`) };
  }
}

function options(i: Interaction): Map<string, CommandOption> {
  const top = i.data?.options ?? [];
  const list = top[0]?.type === 1 ? (top[0].options ?? []) : top;
  return new Map(list.map((o) => [o.name, o]));
}

const str = (o: CommandOption | undefined) => (typeof o?.value === 'string' ? o.value : undefined);

/** Members with the workspace's poster role may post; without one set, those with Manage Server. */
async function mayPost(deps: DiscordDeps, i: Interaction): Promise<string | null> {
  const member = i.member;
  if (!member) return 'hayon takes posts in servers only, not in direct messages.';
  const workspace = await deps.store.getWorkspace(deps.workspaceId);
  const role = workspace?.settings?.discordPosterRole;
  if (role)
    return member.roles.includes(role) ? null : `Only members with the <@&${role}> role may post with hayon here.`;
  return canManage(member)
    ? null
    : 'Only members who can manage this server may post with hayon here (an admin can allow a role: `/hayon role`).';
}

function canManage(member: NonNullable<Interaction['member']>): boolean {
  const perms = BigInt(member.permissions || '0');
  return (perms & (manageGuild | administrator)) !== 0n;
}

async function userTimezone(deps: DiscordDeps, userId: string): Promise<string> {
  const workspace = await deps.store.getWorkspace(deps.workspaceId);
  return workspace?.settings?.timezones?.[userId] ?? workspace?.settings?.timezone ?? deps.defaultTimezone;
}

async function postCommand(deps: DiscordDeps, i: Interaction): Promise<Handled> {
  const refusal = await mayPost(deps, i);
  if (refusal) return { response: reply(refusal) };
  const member = i.member!;
  const o = options(i);
  const timezone = await userTimezone(deps, member.user.id);
  const when = str(o.get('when'))?.trim();
  // Cheap checks answer at once, privately; the rest happens after the deferral.
  parseWhen(when, { timezone, now: deps.clock() });
  const accounts = await deps.store.listAccounts(deps.workspaceId);
  const targets = (str(o.get('targets')) ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const chosen = targets.length ? targets : await defaultTargets(deps, accounts);
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
  };
  return {
    response: { type: 5 },
    after: () => publish(deps, i, request, attachments),
  };
}

async function defaultTargets(deps: DiscordDeps, accounts: readonly Account[]): Promise<string[]> {
  const workspace = await deps.store.getWorkspace(deps.workspaceId);
  if (workspace?.settings?.defaultTargets?.length) return workspace.settings.defaultTargets;
  const active = accounts.filter((a) => a.health === 'active').map((a) => a.id);
  if (!active.length) {
    throw new HayonError('invalid_request', 'no accounts', {
      userMessage: `No accounts are connected to this workspace yet: \`hayon accounts add bluesky … --workspace ${deps.workspaceId}\`.`,
    });
  }
  return active;
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
    await api.followUp(i.token, { content: `:warning: ${he.publicMessage}`, flags: ephemeralFlag });
    return;
  }
  try {
    // A Discord thread started on a message has that message's id.
    await api.startThread(message.channel_id, message.id, threadName(value));
    const measures = await deps.posts.measure(value, accounts);
    const current = (await deps.store.getPost(value.post.id)) ?? value;
    await api.editOriginal(i.token, postMessage(current, accounts, measures));
  } finally {
    deps.posts.dispatch(value);
  }
}

function threadName(value: PostWithDeliveries): string {
  const line = value.post.content.text.split('\n')[0]?.trim() ?? '';
  return line ? `hayon: ${line}`.slice(0, 90) : `hayon: ${value.post.id}`;
}

/** The reply as the post progresses; buttons while something is still scheduled. */
export function postMessage(
  value: PostWithDeliveries,
  accounts: readonly Account[],
  measures: readonly TargetMeasure[] = [],
): DiscordBody {
  const { post } = value;
  const status = summaryLine(value, accounts);
  const when = `<t:${Math.floor(post.scheduledAt / 1000)}:F>`;
  const headline = status === 'Scheduled' ? `**Scheduled for ${when}** (${post.timezone})` : `**${status}**`;
  const lines = value.deliveries.map((d) => {
    const m = measures.find((x) => x.deliveryId === d.id);
    const count = m?.count !== undefined && m.max !== undefined ? ` · ${m.count}/${m.max}` : '';
    const thread = m?.parts ? ` · thread of ${m.parts}` : '';
    const link = d.result?.url ? ` · <${d.result.url}>` : '';
    return `${stateIcon(d.state)} ${targetName(d, accounts)}${count}${thread}${link}`;
  });
  const quoted = post.content.text
    .slice(0, 1500)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  const media = post.content.media.length ? `\n${post.content.media.length} attachment(s)` : '';
  return {
    content: `${headline}\n${post.content.text ? `${quoted}\n` : ''}${lines.join('\n')}${media}\n\`${post.id}\``,
    allowed_mentions: { parse: [] },
    components: stillScheduled(value)
      ? [
          {
            type: 1,
            components: [
              { type: 2, style: 1, label: 'Post now', custom_id: `hayon:now:${post.id}` },
              { type: 2, style: 4, label: 'Cancel', custom_id: `hayon:cancel:${post.id}` },
            ],
          },
        ]
      : [],
  };
}

function stateIcon(state: string): string {
  return ({ published: '✅', failed: '❌', cancelled: '🚫', scheduled: '🕒' } as Record<string, string>)[state] ?? '⏳';
}

async function button(deps: DiscordDeps, i: Interaction): Promise<Handled> {
  const [, action, postId = ''] = (i.data?.custom_id ?? '').split(':');
  const refusal = await mayPost(deps, i);
  if (refusal) return { response: reply(refusal) };
  const value =
    action === 'cancel'
      ? await deps.posts.cancel(deps.workspaceId, postId)
      : action === 'now'
        ? await deps.posts.postNow(deps.workspaceId, postId)
        : null;
  if (!value) return { response: reply('hayon does not know this button.') };
  const accounts = await deps.store.listAccounts(deps.workspaceId);
  const origin = value.post.origin;
  const onOwnMessage = origin.kind === 'discord' && origin.messageId === i.message?.id;
  if (onOwnMessage) return { response: { type: 7, data: postMessage(value, accounts) } };
  // A button of `/hayon status`: answer privately, and edit the post's own message.
  return {
    response: reply(`${action === 'cancel' ? 'Cancelled' : 'Publishing'} \`${postId}\`.`),
    after: async () => {
      if (origin.kind === 'discord' && origin.messageId) {
        await deps.api.edit(origin.channelId, origin.messageId, postMessage(value, accounts));
      }
    },
  };
}

async function hayonCommand(deps: DiscordDeps, i: Interaction): Promise<Handled> {
  const sub = i.data?.options?.[0]?.name;
  const o = options(i);
  const userId = i.member?.user.id ?? '';
  switch (sub) {
    case 'status': {
      const posts = (await deps.posts.list(deps.workspaceId, { limit: 100 })).filter(
        (p) => p.post.origin.kind === 'discord' && p.post.origin.channelId === i.channel_id && stillScheduled(p),
      );
      if (!posts.length) return { response: reply('Nothing is scheduled from this channel.') };
      const shown = posts.sort((a, b) => a.post.scheduledAt - b.post.scheduledAt).slice(0, 5);
      return {
        response: {
          type: 4,
          data: {
            flags: ephemeralFlag,
            content: shown
              .map(
                (p) =>
                  `<t:${Math.floor(p.post.scheduledAt / 1000)}:F> \`${p.post.id}\` ${p.post.content.text.slice(0, 100)}`,
              )
              .join('\n'),
            components: shown.map((p) => ({
              type: 1,
              components: [
                { type: 2, style: 4, label: `Cancel ${p.post.id.slice(-6)}`, custom_id: `hayon:cancel:${p.post.id}` },
              ],
            })),
            allowed_mentions: { parse: [] },
          },
        },
      };
    }
    case 'accounts': {
      const accounts = await deps.store.listAccounts(deps.workspaceId);
      if (!accounts.length) {
        return {
          response: reply(
            `No accounts are connected yet: \`hayon accounts add bluesky … --workspace ${deps.workspaceId}\`.`,
          ),
        };
      }
      return {
        response: reply(
          accounts
            .map((a) => `${a.health === 'active' ? '🟢' : '🔴'} ${platformNames[a.platform]} ${a.handle}: ${a.health}`)
            .join('\n'),
        ),
      };
    }
    case 'timezone': {
      const zone = str(o.get('zone'))?.trim() ?? '';
      if (!isValidTimeZone(zone)) {
        return { response: reply(`"${zone}" is not an IANA time zone (like Europe/Berlin or America/New_York).`) };
      }
      const workspace = await deps.store.getWorkspace(deps.workspaceId);
      const timezones = { ...workspace?.settings?.timezones, [userId]: zone };
      await deps.store.updateWorkspaceSettings(deps.workspaceId, { timezones });
      return { response: reply(`Your times are now read in ${zone}.`) };
    }
    case 'role': {
      if (!i.member || !canManage(i.member))
        return { response: reply('Only members who can manage this server may choose who posts.') };
      const role = str(o.get('role')) ?? '';
      await deps.store.updateWorkspaceSettings(deps.workspaceId, { discordPosterRole: role });
      return { response: reply(`Members with <@&${role}> may now post with hayon.`) };
    }
    default:
      return { response: reply(helpText) };
  }
}

const helpText = `**hayon** publishes to Bluesky, Mastodon, Tumblr, Threads, Instagram and Facebook.
• \`/post text:Launch day! when:tomorrow 9am targets:bluesky,mastodon\` (images: image1…image4 with alt1…alt4)
• Results go into a thread on hayon's reply; **Post now** and **Cancel** while it waits
• \`/hayon status\` · \`/hayon accounts\` · \`/hayon timezone Europe/Berlin\` · \`/hayon role @Social\` · \`/hayon help\``;

/** Choices while typing: connected accounts for `targets`, the time it reads for `when`. */
async function autocomplete(deps: DiscordDeps, i: Interaction): Promise<{ name: string; value: string }[]> {
  const focused = [...options(i).values()].find((o) => o.focused);
  const typed = str(focused) ?? '';
  if (focused?.name === 'when') {
    if (!typed.trim()) return [{ name: 'now', value: 'now' }];
    const timezone = await userTimezone(deps, i.member?.user.id ?? '');
    try {
      const { local } = parseWhen(typed, { timezone, now: deps.clock() });
      return [{ name: `→ ${local}`.slice(0, 100), value: typed.slice(0, 100) }];
    } catch (e) {
      return [{ name: `? ${HayonError.from(e).publicMessage}`.slice(0, 100), value: typed.slice(0, 100) }];
    }
  }
  if (focused?.name === 'targets') {
    const accounts = await deps.store.listAccounts(deps.workspaceId);
    const done = typed.includes(',') ? `${typed.slice(0, typed.lastIndexOf(',') + 1)}` : '';
    const partial = typed.slice(done.length).trim().toLowerCase();
    return accounts
      .map((a) => ({ label: `${platformNames[a.platform]} ${a.handle}`, value: `${a.platform}:${a.handle}` }))
      .filter((c) => c.value.toLowerCase().includes(partial) || c.label.toLowerCase().includes(partial))
      .slice(0, 25)
      .map((c) => ({ name: `${done}${c.label}`.slice(0, 100), value: `${done}${c.value}`.slice(0, 100) }));
  }
  return [];
}
