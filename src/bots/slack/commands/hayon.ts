import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { platformNames } from '../../../core/platform-names.js';
import { stillScheduled, summaryLine } from '../../../notify/post-summary.js';
import { actionIds, escapeMrkdwn, whenLine } from '../../../notify/slack/blocks.js';
import { mayPost, type SlackDeps } from '../context.js';

/** `/hayon status | accounts | connect | web | help`, answered privately. */
export async function hayonCommand(
  deps: SlackDeps,
  { command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const who = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
  const [sub] = command.text.trim().split(/\s+/);
  const reply = (text: string, blocks?: unknown[]) =>
    client.chat.postEphemeral({ channel: who.channelId, user: who.userId, text, ...(blocks ? { blocks } : {}) });
  if (sub === 'status') return void (await reply(...(await statusMessage(deps, who.channelId))));
  if (sub === 'accounts') return void (await reply(await accountsMessage(deps)));
  if (sub === 'connect') return void (await reply(await connectMessage(deps, client, command.user_id, command.text)));
  if (sub === 'web') return void (await reply(await webLinkMessage(deps, client, who, command.user_name)));
  await reply(helpText);
}

const helpText = `*hayon* publishes to Bluesky, Mastodon, Tumblr, Threads, Instagram and Facebook.
• \`/post Launch day! https://example.com tomorrow 9am to bluesky,mastodon\`: text, then a time, then \`to\` and the accounts (default: the workspace's default set)
• \`/post\` alone: a form with files, alt text and a text per platform
• The message shortcut *Post to social* starts the form from any message
• \`/hayon status\`: this channel's scheduled posts · \`/hayon accounts\`: connected accounts · \`/hayon help\`
• \`/hayon connect mastodon [server]\` (admins): a link to connect an account
• \`/hayon web\`: a link that signs you in to hayon's web page (the calendar, each post, the composer)`;

/**
 * `/hayon connect <platform> [instance]`: a single-use link, only for Slack workspace admins and
 * owners (who may manage the accounts hayon posts to).
 */
async function connectMessage(
  deps: SlackDeps,
  client: AllMiddlewareArgs['client'],
  userId: string,
  text: string,
): Promise<string> {
  const [, platform = '', instance] = text.trim().split(/\s+/);
  const connect = deps.connect;
  if (!connect) return 'Connecting accounts from Slack is not set up on this hayon.';
  const info = await client.users.info({ user: userId }).catch(() => undefined);
  const user = info?.user;
  if (!user?.is_admin && !user?.is_owner && !user?.is_primary_owner) {
    return 'Only Slack workspace admins and owners can connect accounts. Ask one of them, or whoever runs hayon (`hayon accounts connect`).';
  }
  const platforms = connect.platforms();
  if (!platforms.includes(platform as (typeof platforms)[number])) {
    return `Which platform? \`/hayon connect ${platforms.join('|')}\`${platforms.includes('mastodon') ? ' (for Mastodon, add the server: `/hayon connect mastodon mastodon.social`)' : ''}.`;
  }
  const { url } = await connect.link(
    deps.workspaceId,
    platform,
    { kind: 'slack', id: userId, name: user.name },
    instance ? { instance } : {},
  );
  const name = platformNames[platform as keyof typeof platformNames];
  return `<${url}|Connect a ${name} account>: the link works once, for you, within 15 minutes. Do not share it.`;
}

async function statusMessage(deps: SlackDeps, channelId: string): Promise<[string, unknown[]]> {
  const posts = (await deps.posts.list(deps.workspaceId, { limit: 100 })).filter(
    (p) => p.post.origin.kind === 'slack' && p.post.origin.channelId === channelId && stillScheduled(p),
  );
  if (posts.length === 0) return ['Nothing is scheduled from this channel.', []];
  const accounts = await deps.accounts.list(deps.workspaceId);
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
  const accounts = await deps.accounts.list(deps.workspaceId);
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

/**
 * `/hayon web`: a link that signs this user in to the web page once, within 15 minutes, for those
 * who may post with hayon here.
 */
async function webLinkMessage(
  deps: SlackDeps,
  client: AllMiddlewareArgs['client'],
  who: { userId: string; channelId: string },
  userName: string,
): Promise<string> {
  if (!deps.webSessions) return 'The web page is not set up on this hayon.';
  const allowed = await mayPost(deps, client, who);
  if (!allowed.ok) return `The web page is for people who may post with hayon. ${allowed.message}`;
  const { url } = await deps.webSessions.createLink(deps.workspaceId, {
    kind: 'slack',
    id: who.userId,
    ...(userName ? { name: userName } : {}),
  });
  return `<${url}|Sign in to hayon's web page>: the link works once, for you, within 15 minutes. Do not share it.`;
}
