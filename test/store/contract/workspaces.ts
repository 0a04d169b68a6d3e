import { expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { makeApiToken, makeWorkspace, T0 } from '../store-fixtures.js';

export function workspaceCases(store: () => Store): void {
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

  it('finds a token by the hash of its secret, and only by that', async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    const token = makeApiToken(ws.id, 'secret-1');
    await store().createApiToken(token);
    expect(await store().findApiTokenByHash(token.hash)).toEqual(token);
    expect(await store().findApiTokenByHash(makeApiToken(ws.id, 'secret-2').hash)).toBeNull();
  });

  it('refuses a second token with the same hash', async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    await store().createApiToken(makeApiToken(ws.id, 'same'));
    await expect(store().createApiToken(makeApiToken(ws.id, 'same'))).rejects.toThrow();
  });

  it('touchApiToken records when the token was last used', async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    const token = makeApiToken(ws.id);
    await store().createApiToken(token);
    expect((await store().findApiTokenByHash(token.hash))?.lastUsedAt).toBeUndefined();
    await store().touchApiToken(token.id, T0 + 5);
    expect(await store().findApiTokenByHash(token.hash)).toEqual({ ...token, lastUsedAt: T0 + 5 });
    await store().touchApiToken(token.id, T0 + 9);
    expect((await store().findApiTokenByHash(token.hash))?.lastUsedAt).toBe(T0 + 9);
  });
}
