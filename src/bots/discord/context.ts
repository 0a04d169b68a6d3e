import type { ConnectService } from '../../services/connect/connect-service.js';
import type { WebSessions } from '../../services/web-sessions.js';
import type { Clock } from '../../core/clock.js';
import type { PostsService } from '../../services/posts/posts-service.js';
import type { Logger } from '../../logger.js';
import type { MediaService } from '../../media/media-service.js';
import type { AccountsService } from '../../services/accounts/accounts-service.js';
import type { PostQueries } from '../../services/post-queries.js';
import type { WorkspacesService } from '../../services/workspaces-service.js';
import type { DiscordApi, DiscordBody } from '../../notify/discord/discord-api.js';

export interface DiscordDeps {
  posts: PostsService;
  accounts: Pick<AccountsService, 'list'>;
  workspaces: Pick<WorkspacesService, 'get' | 'updateSettings' | 'setMemberTimezone'>;
  /** A post read again after the worker may have moved on. */
  postQueries: Pick<PostQueries, 'latest'>;
  media: MediaService;
  api: DiscordApi;
  clock: Clock;
  log: Logger;
  workspaceId: string;
  defaultTimezone: string;
  /** Host of the Discord API: its attachment downloads are trusted even when private (tests). */
  apiHost: string;
  /** Connect links (`/hayon connect`). */
  connect?: ConnectService | undefined;
  /** Sign-in links to the web page (`/hayon web`). */
  webSessions?: Pick<WebSessions, 'createLink'> | undefined;
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

export interface CommandOption {
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

export const ephemeralFlag = 64;
const manageGuild = 1n << 5n;
const administrator = 1n << 3n;
/** A private (ephemeral) answer. */
export const reply = (content: string): DiscordBody => ({
  type: 4,
  data: { content, flags: ephemeralFlag, allowed_mentions: { parse: [] } },
});

/** A command's options (a subcommand's, for `/hayon …`) by name. */
export function options(i: Interaction): Map<string, CommandOption> {
  const top = i.data?.options ?? [];
  const list = top[0]?.type === 1 ? (top[0].options ?? []) : top;
  return new Map(list.map((o) => [o.name, o]));
}

export const str = (o: CommandOption | undefined) => (typeof o?.value === 'string' ? o.value : undefined);

/** Members with the workspace's poster role may post; without one set, those with Manage Server. */
export async function mayPost(deps: DiscordDeps, i: Interaction): Promise<string | null> {
  const member = i.member;
  if (!member) return 'hayon takes posts in servers only, not in direct messages.';
  const workspace = await deps.workspaces.get(deps.workspaceId);
  const role = workspace?.settings?.discordPosterRole;
  if (role)
    return member.roles.includes(role) ? null : `Only members with the <@&${role}> role may post with hayon here.`;
  return canManage(member)
    ? null
    : 'Only members who can manage this server may post with hayon here (an admin can allow a role: `/hayon role`).';
}

export function canManage(member: NonNullable<Interaction['member']>): boolean {
  const perms = BigInt(member.permissions || '0');
  return (perms & (manageGuild | administrator)) !== 0n;
}

export async function userTimezone(deps: DiscordDeps, userId: string): Promise<string> {
  const workspace = await deps.workspaces.get(deps.workspaceId);
  return workspace?.settings?.timezones?.[userId] ?? workspace?.settings?.timezone ?? deps.defaultTimezone;
}
