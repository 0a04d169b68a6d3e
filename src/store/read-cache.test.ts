import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAccount, makeWorkspace } from '../../test/store/store-fixtures.js';
import { withReadCache } from './read-cache.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

// Two stores on one SQLite file stand for two processes: `other` changes what `cached` keeps.
describe('withReadCache', () => {
  const opened: SqliteStore[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function stores() {
    const dir = mkdtempSync(join(tmpdir(), 'hayon-read-cache-'));
    dirs.push(dir);
    const raw = new SqliteStore({ path: `${dir}/hayon.db` });
    await raw.init();
    const other = new SqliteStore({ path: `${dir}/hayon.db` });
    opened.push(raw, other);
    let now = 1_000_000;
    const cached = withReadCache(raw, { ttlMs: 2_000, now: () => now });
    const ws = (await cached.ensureWorkspace(makeWorkspace())).id;
    return { cached, other, ws, tick: (ms: number) => (now += ms) };
  }

  it('sees its own changes to accounts at once, and another process’s within the TTL', async () => {
    const { cached, other, ws, tick } = await stores();
    const first = makeAccount(ws);
    await cached.createAccount(first);
    expect((await cached.listAccounts(ws)).map((a) => a.id)).toEqual([first.id]);
    await cached.setAccountHealth(first.id, 'expired', 'token revoked', 1);
    expect((await cached.listAccounts(ws))[0]?.health).toBe('expired');
    // Another process reconnects it: seen once the TTL has passed.
    await other.setAccountHealth(first.id, 'active', undefined, 2);
    expect((await cached.listAccounts(ws))[0]?.health).toBe('expired');
    tick(2_001);
    expect((await cached.listAccounts(ws))[0]?.health).toBe('active');
    await cached.removeAccount(first.id);
    expect(await cached.listAccounts(ws)).toEqual([]);
  });

  it('keeps a found token until it is revoked here, and never keeps a miss', async () => {
    const { cached, other, ws } = await stores();
    expect(await cached.findApiTokenByHash('h1')).toBeNull();
    const token = {
      id: 'tok_1',
      workspaceId: ws,
      name: 'ci',
      hash: 'h1',
      scopes: ['posts:write' as const],
      createdAt: 1,
    };
    await other.createApiToken(token);
    expect((await cached.findApiTokenByHash('h1'))?.id).toBe('tok_1');
    await cached.revokeApiToken('tok_1', 5);
    expect((await cached.findApiTokenByHash('h1'))?.revokedAt).toBe(5);
  });

  it('gives each caller its own copy', async () => {
    const { cached, ws } = await stores();
    await cached.createAccount(makeAccount(ws));
    const a = await cached.listAccounts(ws);
    a[0]!.handle = 'changed';
    a.pop();
    expect((await cached.listAccounts(ws))[0]?.handle).not.toBe('changed');
  });
});
