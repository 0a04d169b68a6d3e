import type { Clock } from '../core/clock.js';
import type { Workspace, WorkspaceSettings } from '../core/post.js';
import type { WorkspaceStore } from '../store/ports/workspace-store.js';
import { defaultWorkspaceId } from './accounts/accounts-service.js';

export interface WorkspacesServiceDeps {
  store: WorkspaceStore;
  clock: Clock;
}

/**
 * Workspaces and their own rules (`hayon workspace set`, Discord's `/hayon timezone` and
 * `/hayon role`): reading them, making a workspace on first use, and changing its settings.
 */
export class WorkspacesService {
  constructor(private readonly deps: WorkspacesServiceDeps) {}

  get(id: string): Promise<Workspace | null> {
    return this.deps.store.getWorkspace(id);
  }

  /** Every workspace, oldest first. */
  list(): Promise<Workspace[]> {
    return this.deps.store.listWorkspaces();
  }

  /** The workspace, made on first use: `default` is named Default, any other after its id. */
  ensure(id: string = defaultWorkspaceId): Promise<Workspace> {
    const name = id === defaultWorkspaceId ? 'Default' : id;
    return this.deps.store.ensureWorkspace({ id, name, createdAt: this.deps.clock() });
  }

  /** Merges `changes` into the workspace's settings; null when there is no such workspace. */
  updateSettings(id: string, changes: WorkspaceSettings): Promise<Workspace | null> {
    return this.deps.store.updateWorkspaceSettings(id, changes);
  }

  /** A chat member's own time zone (Discord's `/hayon timezone`), beside the other members'. */
  async setMemberTimezone(id: string, userId: string, zone: string): Promise<Workspace | null> {
    const workspace = await this.get(id);
    const timezones = { ...workspace?.settings?.timezones, [userId]: zone };
    return this.updateSettings(id, { timezones });
  }
}
