import { isValidTimeZone } from '../../../core/schedule.js';
import { platformNames } from '../../../core/platform-names.js';
import { stillScheduled } from '../../../notify/post-summary.js';
import {
  canManage,
  type DiscordDeps,
  ephemeralFlag,
  type Handled,
  type Interaction,
  mayPost,
  options,
  reply,
  str,
} from '../context.js';

/** Discord's SUPPRESS_EMBEDS message flag. */
const suppressEmbeds = 1 << 2;

export async function hayonCommand(deps: DiscordDeps, i: Interaction): Promise<Handled> {
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
      const accounts = await deps.accounts.list(deps.workspaceId);
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
      await deps.workspaces.setMemberTimezone(deps.workspaceId, userId, zone);
      return { response: reply(`Your times are now read in ${zone}.`) };
    }
    case 'role': {
      if (!i.member || !canManage(i.member))
        return { response: reply('Only members who can manage this server may choose who posts.') };
      const role = str(o.get('role')) ?? '';
      await deps.workspaces.updateSettings(deps.workspaceId, { discordPosterRole: role });
      return { response: reply(`Members with <@&${role}> may now post with hayon.`) };
    }
    case 'connect': {
      if (!deps.connect) return { response: reply('Connecting accounts from Discord is not set up on this hayon.') };
      if (!i.member || !canManage(i.member)) {
        return { response: reply('Only members who can manage this server may connect accounts.') };
      }
      const platform = str(o.get('platform')) ?? '';
      const server = str(o.get('server'))?.trim();
      const { url } = await deps.connect.link(
        deps.workspaceId,
        platform,
        { kind: 'discord', id: userId, name: i.member.user.username },
        server ? { instance: server } : {},
      );
      const name = platformNames[platform as keyof typeof platformNames] ?? platform;
      return {
        response: reply(
          `[Connect a ${name} account](${url}): the link works once, for you, within 15 minutes. Do not share it.`,
        ),
      };
    }
    case 'web': {
      if (!deps.webSessions) return { response: reply('The web page is not set up on this hayon.') };
      const refusal = await mayPost(deps, i);
      if (refusal) return { response: reply(`The web page is for members who may post with hayon. ${refusal}`) };
      const username = i.member?.user.username;
      const { url } = await deps.webSessions.createLink(deps.workspaceId, {
        kind: 'discord',
        id: userId,
        ...(username ? { name: username } : {}),
      });
      // No embed: a preview fetch must not use up the link.
      const content = `[Sign in to hayon's web page](<${url}>): the link works once, for you, within 15 minutes. Do not share it.`;
      return {
        response: {
          type: 4,
          data: { content, flags: ephemeralFlag | suppressEmbeds, allowed_mentions: { parse: [] } },
        },
      };
    }
    default:
      return { response: reply(helpText) };
  }
}

const helpText = `**hayon** publishes to Bluesky, Mastodon, Tumblr, Threads, Instagram and Facebook.
• \`/post text:Launch day! when:tomorrow 9am targets:bluesky,mastodon\` (images: image1…image4 with alt1…alt4)
• Results go into a thread on hayon's reply; **Post now** and **Cancel** while it waits
• \`/hayon status\` · \`/hayon accounts\` · \`/hayon timezone Europe/Berlin\` · \`/hayon role @Social\` · \`/hayon connect mastodon\` · \`/hayon web\` (a link to the web page) · \`/hayon help\``;

/** Choices while typing: connected accounts for `targets`, the time it reads for `when`. */
