import { expect, it } from 'vitest';
import type { TokenStore } from '../../../src/store/ports/token-store.js';
import type { WorkspaceStore } from '../../../src/store/ports/workspace-store.js';
import { makeApiToken, makeWorkspace, T0 } from '../store-fixtures.js';

/** TokenStore: tokens found by the hash of their secret, with their scopes, touched and revoked. */
export function tokenStoreContract(store: () => TokenStore & WorkspaceStore): void {
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

  it('keeps a token’s scopes, and lists a workspace’s tokens oldest first', async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    const other = await store().ensureWorkspace(makeWorkspace());
    const read = makeApiToken(ws.id, 'read', { name: 'dashboard', scopes: ['posts:read'], createdAt: T0 + 2 });
    const all = makeApiToken(ws.id, 'all', { name: 'ci', createdAt: T0 + 1 });
    await store().createApiToken(read);
    await store().createApiToken(all);
    await store().createApiToken(makeApiToken(other.id, 'elsewhere'));
    expect(await store().findApiTokenByHash(read.hash)).toEqual(read);
    expect(await store().listApiTokens(ws.id)).toEqual([all, read]);
    expect(await store().listApiTokens('ws_none')).toEqual([]);
  });

  it('revokes a token once (a second revoke keeps the first time); false for an unknown id', async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    const token = makeApiToken(ws.id);
    await store().createApiToken(token);
    expect(await store().revokeApiToken(token.id, T0 + 10)).toBe(true);
    expect(await store().revokeApiToken(token.id, T0 + 20)).toBe(true);
    expect(await store().findApiTokenByHash(token.hash)).toEqual({ ...token, revokedAt: T0 + 10 });
    expect((await store().listApiTokens(ws.id))[0]?.revokedAt).toBe(T0 + 10);
    expect(await store().revokeApiToken('tok_nope', T0)).toBe(false);
  });
}
