import { expect, it } from 'vitest';
import type { WorkspaceStore } from '../../../src/store/ports/workspace-store.js';
import { makeWorkspace, T0 } from '../store-fixtures.js';

/** WorkspaceStore: workspaces created once, their settings merged, all of them listed. */
export function workspaceStoreContract(store: () => WorkspaceStore): void {
  it('ensureWorkspace creates a workspace and getWorkspace reads it', async () => {
    const ws = makeWorkspace({ name: 'Acme' });
    expect(await store().ensureWorkspace(ws)).toEqual(ws);
    expect(await store().getWorkspace(ws.id)).toEqual(ws);
  });

  it('ensureWorkspace is idempotent: a second call returns the stored workspace', async () => {
    const ws = makeWorkspace({ name: 'first' });
    await store().ensureWorkspace(ws);
    const again = await store().ensureWorkspace({ ...ws, name: 'second', createdAt: T0 + 1 });
    expect(again).toEqual(ws);
    expect(await store().getWorkspace(ws.id)).toEqual(ws);
  });

  it('updateWorkspaceSettings merges settings and keeps them', async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    expect(ws.settings).toBeUndefined();
    const updated = await store().updateWorkspaceSettings(ws.id, { requireAltText: true });
    expect(updated?.settings).toEqual({ requireAltText: true });
    expect((await store().getWorkspace(ws.id))?.settings).toEqual({ requireAltText: true });
    await store().updateWorkspaceSettings(ws.id, { requireAltText: false });
    expect((await store().getWorkspace(ws.id))?.settings).toEqual({ requireAltText: false });
    expect(await store().updateWorkspaceSettings('ws_missing', { requireAltText: true })).toBeNull();
  });

  it('getWorkspace returns null for an unknown id', async () => {
    expect(await store().getWorkspace('ws_missing')).toBeNull();
  });

  it('lists every workspace, oldest first', async () => {
    const b = await store().ensureWorkspace(makeWorkspace({ id: 'ws_b', createdAt: T0 + 1 }));
    const a = await store().ensureWorkspace(makeWorkspace({ id: 'ws_a', createdAt: T0 + 2 }));
    expect(await store().listWorkspaces()).toEqual([b, a]);
  });
}
