import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineStoreContract } from '../../../test/store/store.contract.js';
import { seedPost, T0 } from '../../../test/store/store-fixtures.js';
import { migrations } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hayon-sqlite-'));
}

defineStoreContract('sqlite', async () => {
  const dir = await tempDir();
  const store = new SqliteStore({ path: join(dir, 'hayon.db') });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore on a file', () => {
  let dir: string;
  let path: string;
  const open: SqliteStore[] = [];

  async function openStore(): Promise<SqliteStore> {
    const store = new SqliteStore({ path });
    open.push(store);
    await store.init();
    return store;
  }

  beforeEach(async () => {
    dir = await tempDir();
    path = join(dir, 'nested', 'hayon.db');
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps data across close and reopen', async () => {
    const first = await openStore();
    const { post, deliveries } = await seedPost(first, { post: { idempotencyKey: 'k' } });
    await first.claim(deliveries[0]!.id, 'w1', T0, T0 + 60_000);
    await first.close();

    const second = await openStore();
    const read = await second.getPost(post.id);
    expect(read?.post).toEqual(post);
    expect(read?.deliveries[0]).toMatchObject({ state: 'publishing', leaseOwner: 'w1', attempts: 1 });
    expect((await second.findPostByIdempotencyKey(post.workspaceId, 'k'))?.post.id).toBe(post.id);
  });

  it('init() on an existing file applies nothing again', async () => {
    const first = await openStore();
    await seedPost(first);
    await first.close();
    const applied = () => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare('SELECT id, applied_at FROM schema_migrations ORDER BY id').all();
      } finally {
        db.close();
      }
    };
    const before = applied();
    expect(before).toHaveLength(migrations.length);
    const second = await openStore();
    await second.init();
    expect(applied()).toEqual(before);
    expect(await second.countDeliveries()).toMatchObject({ queued: 1 });
  });

  it('runs in WAL mode with foreign keys on', async () => {
    await openStore();
    const db = new Database(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    const store = await openStore();
    // A delivery of a post that does not exist breaks the foreign key, so nothing is written.
    const { post, deliveries } = await seedPost(store);
    await expect(
      store.createPost({ ...post, id: 'post_other' }, [{ ...deliveries[0]!, id: 'dlv_x', postId: 'post_ghost' }]),
    ).rejects.toThrow();
    expect(await store.getPost('post_other')).toBeNull();
  });

  it('two connections to one file never both claim a delivery', async () => {
    const a = await openStore();
    const b = await openStore();
    const { deliveries } = await seedPost(a);
    const id = deliveries[0]!.id;
    const claims = await Promise.all([a.claim(id, 'wa', T0, T0 + 1), b.claim(id, 'wb', T0, T0 + 1)]);
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
  });

  it('works in memory', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    open.push(store);
    await store.init();
    await store.ping();
    expect(await store.nextDueAt()).toBeNull();
  });

  it('gives a token made before 005_tokens_audit every scope, and revokes it', async () => {
    // A file as an earlier hayon left it: migrations up to 004 and a token without scopes.
    await mkdir(join(dir, 'nested'), { recursive: true });
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((m) => m.id < '005')) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, T0);
    }
    db.prepare(
      'INSERT INTO api_tokens (id, workspace_id, name, hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, NULL)',
    ).run('tok_old', 'ws_1', 'ci', 'a'.repeat(64), T0);
    db.close();
    const store = await openStore();
    expect(await store.findApiTokenByHash('a'.repeat(64))).toEqual({
      id: 'tok_old',
      workspaceId: 'ws_1',
      name: 'ci',
      hash: 'a'.repeat(64),
      scopes: ['posts:write', 'posts:read', 'accounts:manage'],
      createdAt: T0,
    });
    expect(await store.revokeApiToken('tok_old', T0 + 1)).toBe(true);
    expect((await store.listApiTokens('ws_1'))[0]?.revokedAt).toBe(T0 + 1);
  });
});
