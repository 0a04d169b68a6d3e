import type { Workspace, WorkspaceSettings } from '../../core/post.js';

/** Workspaces: the tenants every post, account, token and hook belongs to, and their settings. */
export interface WorkspaceStore {
  ensureWorkspace(workspace: Workspace): Promise<Workspace>;
  getWorkspace(id: string): Promise<Workspace | null>;
  /** Merges `settings` into the workspace's; null when there is no such workspace. */
  updateWorkspaceSettings(id: string, settings: WorkspaceSettings): Promise<Workspace | null>;
  /** Every workspace, oldest first (for work across all of them: `hayon secrets rotate`). */
  listWorkspaces(): Promise<Workspace[]>;
}
