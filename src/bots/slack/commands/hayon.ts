import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { platformNames } from '../../../core/platform-names.js';
import { stillScheduled, summaryLine } from '../../post-summary.js';
import { actionIds, escapeMrkdwn, whenLine } from '../blocks.js';
import type { SlackDeps } from '../context.js';

/** `/hayon status | accounts | help`, answered privately. */
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
  await reply(helpText);
}

const helpText = `*hayon* publishes to Bluesky, Mastodon, Tumblr, Threads, Instagram and Facebook.
• \`/post Launch day! https://example.com tomorrow 9am to bluesky,mastodon\`: text, then a time, then \`to\` and the accounts (default: the workspace's default set)
• \`/post\` alone: a form with files, alt text and a text per platform
• The message shortcut *Post to social* starts the form from any message
• \`/hayon status\`: this channel's scheduled posts · \`/hayon accounts\`: connected accounts · \`/hayon help\``;

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
