import type { Hook, HookPatch } from '../../core/hook.js';

/** Incoming webhooks: a workspace's hooks, each with its sealed secret and what it posts to. */
export interface HookStore {
  createHook(hook: Hook): Promise<void>;
  getHook(id: string): Promise<Hook | null>;
  /** A workspace's hooks, oldest first. */
  listHooks(workspaceId: string): Promise<Hook[]>;
  /** Changes the given fields; null when there is no such hook. */
  updateHook(id: string, patch: HookPatch, at: number): Promise<Hook | null>;
  /** False when there was no such hook. */
  deleteHook(id: string): Promise<boolean>;
}
