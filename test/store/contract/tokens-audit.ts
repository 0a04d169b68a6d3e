import { expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/core/audit.js';
import type { Store } from '../../../src/store/store.js';
import { makeAccount, makeApiToken, makeWorkspace, T0 } from '../store-fixtures.js';

function entry(workspaceId: string, n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `aud_${String(n).padStart(3, '0')}`,
    workspaceId,
    at: T0 + n * 1000,
    actor: { kind: 'slack', id: 'U123', name: 'alice' },
    action: 'post.created',
    target: `post_${n}`,
    ...overrides,
  };
}

/** Scoped, revocable tokens; the workspace list; the audit log; credentials re-sealed only while unchanged. */
export function tokensAuditCases(store: () => Store): void {
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

  it('lists every workspace, oldest first', async () => {
    const b = await store().ensureWorkspace(makeWorkspace({ id: 'ws_b', createdAt: T0 + 1 }));
    const a = await store().ensureWorkspace(makeWorkspace({ id: 'ws_a', createdAt: T0 + 2 }));
    expect(await store().listWorkspaces()).toEqual([b, a]);
  });

  it('lists a workspace’s audit entries newest first, paged with before', async () => {
    for (const n of [1, 3, 2]) await store().addAudit(entry('ws_1', n));
    await store().addAudit(entry('ws_2', 4));
    const minimal: AuditEntry = {
      id: 'aud_min',
      workspaceId: 'ws_1',
      at: T0,
      actor: { kind: 'cli' },
      action: 'secrets.rotated',
    };
    await store().addAudit(minimal);
    const withDetails = entry('ws_1', 5, { details: { targets: 2, scheduled: true, platform: 'bluesky' } });
    await store().addAudit(withDetails);
    const all = await store().listAudit('ws_1', { limit: 10 });
    expect(all.map((e) => e.id)).toEqual(['aud_005', 'aud_003', 'aud_002', 'aud_001', 'aud_min']);
    expect(all[0]).toEqual(withDetails);
    expect(all[4]).toEqual(minimal);
    expect((await store().listAudit('ws_1', { limit: 2 })).map((e) => e.id)).toEqual(['aud_005', 'aud_003']);
    const older = await store().listAudit('ws_1', { limit: 10, before: T0 + 3000 });
    expect(older.map((e) => e.id)).toEqual(['aud_002', 'aud_001', 'aud_min']);
    expect(await store().listAudit('ws_3', { limit: 10 })).toEqual([]);
  });

  it('replaces credentials with ifCurrent only while the stored value is still that one', async () => {
    const ws = await store().ensureWorkspace(makeWorkspace());
    const account = makeAccount(ws.id, { credentials: 'v1.old' });
    await store().createAccount(account);
    await store().updateAccountCredentials(account.id, 'v1.resealed', T0 + 1, 'v1.stale-read');
    expect((await store().getAccount(account.id))?.credentials).toBe('v1.old');
    await store().updateAccountCredentials(account.id, 'v1.resealed', T0 + 2, 'v1.old');
    expect(await store().getAccount(account.id)).toMatchObject({ credentials: 'v1.resealed', updatedAt: T0 + 2 });
    await store().updateAccountCredentials(account.id, 'v1.refreshed', T0 + 3);
    expect((await store().getAccount(account.id))?.credentials).toBe('v1.refreshed');
  });
}
