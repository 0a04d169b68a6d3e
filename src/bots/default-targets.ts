import { HayonError } from '../core/errors.js';
import type { AccountsService } from '../services/accounts/accounts-service.js';
import type { WorkspacesService } from '../services/workspaces-service.js';

/** What the default set is read from. */
export interface DefaultTargetsDeps {
  workspaces: Pick<WorkspacesService, 'get'>;
  accounts: Pick<AccountsService, 'list'>;
}

/**
 * Where a chat post without targets goes, for Slack and Discord alike: the workspace's default
 * set (`hayon workspace set --default-targets`), else every active account; none is a 400 that
 * says how to connect one.
 */
export async function defaultTargets(deps: DefaultTargetsDeps, workspaceId: string): Promise<string[]> {
  const workspace = await deps.workspaces.get(workspaceId);
  const set = workspace?.settings?.defaultTargets;
  if (set?.length) return set;
  const accounts = await deps.accounts.list(workspaceId);
  const active = accounts.filter((a) => a.health === 'active').map((a) => a.id);
  if (active.length === 0) {
    // Said in chat (Slack's and Discord's /post): the next step there first, then on the server.
    const userMessage = accounts.length
      ? 'Every account of this workspace needs reconnecting (`/hayon accounts` shows them): an admin connects one again with `/hayon connect <platform>`.'
      : `No accounts are connected to this workspace yet: an admin connects one with \`/hayon connect bluesky\` (or mastodon, tumblr, …), or whoever runs hayon with \`hayon accounts connect bluesky --workspace ${workspaceId}\`.`;
    throw new HayonError('invalid_request', 'no accounts', { userMessage });
  }
  return active;
}
