import { HayonError } from '../core/errors.js';
import type { Store } from '../store/store.js';

/**
 * Where a chat post without targets goes, for Slack and Discord alike: the workspace's default
 * set (`hayon workspace set --default-targets`), else every active account; none is a 400 that
 * says how to connect one.
 */
export async function defaultTargets(store: Store, workspaceId: string): Promise<string[]> {
  const workspace = await store.getWorkspace(workspaceId);
  const set = workspace?.settings?.defaultTargets;
  if (set?.length) return set;
  const accounts = await store.listAccounts(workspaceId);
  const active = accounts.filter((a) => a.health === 'active').map((a) => a.id);
  if (active.length === 0) {
    throw new HayonError('invalid_request', 'no accounts', {
      userMessage: `No accounts are connected to this workspace yet: \`hayon accounts add bluesky … --workspace ${workspaceId}\`.`,
    });
  }
  return active;
}
