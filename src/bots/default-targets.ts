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
    throw new HayonError('invalid_request', 'no accounts', {
      userMessage: `No accounts are connected to this workspace yet: \`hayon accounts add bluesky … --workspace ${workspaceId}\`.`,
    });
  }
  return active;
}
