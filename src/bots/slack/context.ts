import type { webApi } from '@slack/bolt';
import type { ConnectService } from '../../services/connect/connect-service.js';
import type { WebSessions } from '../../services/web-sessions.js';
import type { Clock } from '../../core/clock.js';
import { HayonError } from '../../core/errors.js';
import { messageFor } from '../../core/next-step.js';
import type { ChatPermissions } from '../../core/post.js';
import type { PostsService } from '../../services/posts/posts-service.js';
import type { Logger } from '../../logger.js';
import type { MediaService } from '../../media/media-service.js';
import type { AccountsService } from '../../services/accounts/accounts-service.js';
import type { PostQueries } from '../../services/post-queries.js';
import type { WorkspacesService } from '../../services/workspaces-service.js';

/** What the Slack handlers use; plain services, no transport. */
export interface SlackDeps {
  posts: PostsService;
  accounts: Pick<AccountsService, 'list'>;
  workspaces: Pick<WorkspacesService, 'get'>;
  /** A post read again after the worker may have moved on. */
  postQueries: Pick<PostQueries, 'latest'>;
  media: MediaService;
  clock: Clock;
  log: Logger;
  /** The hayon workspace the Slack team maps to. */
  workspaceId: string;
  /** Zone used when Slack does not tell the user's. */
  defaultTimezone: string;
  botToken: string;
  /** Host of the Slack API (its file downloads are trusted even when private, e.g. a test server). */
  apiHost: string;
  /** Connect links (`/hayon connect mastodon`). */
  connect?: ConnectService | undefined;
  /** Sign-in links to the web page (`/hayon web`). */
  webSessions?: Pick<WebSessions, 'createLink'> | undefined;
}

/** The zone when Slack does not say the author's: the workspace's (`hayon workspace set --timezone`), else the default. */
export async function fallbackZone(deps: SlackDeps): Promise<string> {
  const workspace = await deps.workspaces.get(deps.workspaceId);
  return workspace?.settings?.timezone ?? deps.defaultTimezone;
}

/** The author's IANA zone from their Slack profile (`users.info` → `tz`), else the default. */
export async function userTimezone(client: webApi.WebClient, userId: string, fallback: string): Promise<string> {
  try {
    const info = await client.users.info({ user: userId });
    return info.user?.tz || fallback;
  } catch {
    return fallback;
  }
}

/**
 * Whether this user may post from this channel under the workspace's rules (`hayon workspace set
 * --slack-posters … --slack-channels …`); the refusal says why and who decides.
 */
export async function mayPost(
  deps: SlackDeps,
  client: webApi.WebClient,
  who: { userId: string; channelId: string },
): Promise<{ ok: true } | { ok: false; message: string }> {
  const workspace = await deps.workspaces.get(deps.workspaceId);
  const rules: ChatPermissions = workspace?.settings?.slack ?? {};
  if (rules.channels?.length && !rules.channels.includes(who.channelId)) {
    const allowed = rules.channels.map((c) => `<#${c}>`).join(', ');
    return { ok: false, message: `hayon posts only from ${allowed} in this workspace.` };
  }
  const posters = rules.posters ?? { kind: 'everyone' };
  if (posters.kind === 'everyone') return { ok: true };
  if (posters.kind === 'users' && posters.ids.includes(who.userId)) return { ok: true };
  if (posters.kind === 'group') {
    const members = await client.usergroups.users
      .list({ usergroup: posters.id })
      .catch(() => ({ users: [] as string[] }));
    if (members.users?.includes(who.userId)) return { ok: true };
    return { ok: false, message: `Only members of <!subteam^${posters.id}> may post with hayon here.` };
  }
  return {
    ok: false,
    message: 'You are not on the list of people who may post with hayon here; ask a workspace admin.',
  };
}

/** A sentence for a chat user from anything thrown; a 500 never shows its cause. */
export function userMessage(e: unknown): string {
  return messageFor(HayonError.from(e), 'slack');
}
