import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { authenticateToken, createApiToken, hashToken, parseScopes } from './api-tokens.js';

const T0 = 1_750_004_800_000;
const clock = () => T0;

async function openStore(path: string): Promise<SqliteStore> {
  const store = new SqliteStore({ path });
  await store.init();
  await store.ensureWorkspace({ id: 'ws_1', name: 'Team', createdAt: T0 });
  return store;
}

describe('API tokens in a SqliteStore', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = await openStore(':memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('creates a hyn_ token whose record carries only its SHA-256', async () => {
    const { token, record } = await createApiToken(store, 'ws_1', 'ci', clock);
    expect(token).toMatch(/^hyn_[A-Za-z0-9_-]{32}$/);
    expect(record).toMatchObject({ workspaceId: 'ws_1', name: 'ci', createdAt: T0 });
    expect(record.hash).toBe(hashToken(token));
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(token.slice(4));
  });

  it('makes a different token each time', async () => {
    const a = await createApiToken(store, 'ws_1', 'ci', clock);
    const b = await createApiToken(store, 'ws_1', 'ci', clock);
    expect(a.token).not.toBe(b.token);
    expect(a.record.id).not.toBe(b.record.id);
  });

  it('authenticates the token it created, to its workspace', async () => {
    const { token, record } = await createApiToken(store, 'ws_1', 'deploy', clock);
    const found = await authenticateToken(store, token);
    expect(found).toMatchObject({ id: record.id, workspaceId: 'ws_1', name: 'deploy' });
  });

  it('returns null for a wrong, altered or malformed token', async () => {
    const { token } = await createApiToken(store, 'ws_1', 'ci', clock);
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const presented of [
      'hyn_notatoken',
      altered,
      token.slice(4),
      `Bearer ${token}`,
      '',
      `hyn_${'x'.repeat(500)}`,
      token.toUpperCase(),
    ]) {
      expect(await authenticateToken(store, presented), presented).toBeNull();
    }
  });
});

describe('API tokens at rest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hayon-tokens-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the hash and never the token itself', async () => {
    const path = join(dir, 'hayon.db');
    const store = await openStore(path);
    const { token } = await createApiToken(store, 'ws_1', 'ci', clock);
    const secretPart = token.slice(4);

    // Read every row of every table through a second connection, as anyone with the file could.
    const db = new Database(path, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const dump = tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
    db.close();
    await store.close();

    expect(dump).toContain(hashToken(token));
    expect(dump).not.toContain(secretPart);
  });
});

describe('API token scopes and revocation', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = await openStore(':memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('gives posts:write and posts:read by default, and the scopes asked for in canonical order', async () => {
    expect((await createApiToken(store, 'ws_1', 'ci', clock)).record.scopes).toEqual(['posts:write', 'posts:read']);
    const { record } = await createApiToken(store, 'ws_1', 'admin', clock, ['accounts:manage', 'posts:read']);
    expect(record.scopes).toEqual(['posts:read', 'accounts:manage']);
  });

  it('parses a scope list, refusing an unknown or empty one', () => {
    expect(parseScopes(' posts:read ,posts:write,posts:read')).toEqual(['posts:write', 'posts:read']);
    expect(() => parseScopes('posts:read,posts:delete')).toThrow('unknown scope "posts:delete"');
    expect(() => parseScopes(' , ')).toThrow('no scope given');
  });

  it('no longer authenticates a revoked token', async () => {
    const { token, record } = await createApiToken(store, 'ws_1', 'ci', clock);
    expect(await authenticateToken(store, token)).not.toBeNull();
    expect(await store.revokeApiToken(record.id, T0 + 1)).toBe(true);
    expect(await authenticateToken(store, token)).toBeNull();
  });
});
