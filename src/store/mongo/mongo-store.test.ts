import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mongoTestServer } from '../../../test/mongo-server.js';
import { defineStoreContract } from '../../../test/store/store.contract.js';
import { MINUTE, makeAccount, makeDelivery, makePost, seedPost, T0 } from '../../../test/store/store-fixtures.js';
import type { Delivery } from '../../core/post.js';
import { byDue } from './mapping.js';
import { MongoStore } from './mongo-store.js';
import type { PostDoc } from './schemas.js';

/**
 * The server: HAYON_TEST_MONGODB_URL, else the DocumentDB that scripts/services/documentdb.sh
 * started. A real server builds each index in about 2 s (DocumentDB through pg_cron), so this
 * file makes one database with its indexes once and empties its collections between tests.
 */
async function connect(): Promise<{ admin?: Connection; skip?: string; url: string }> {
  const found = mongoTestServer();
  if (found.skip !== undefined) return { url: '', skip: found.skip };
  const admin = mongoose.createConnection(found.url, { serverSelectionTimeoutMS: 2000 });
  try {
    await admin.asPromise();
    await admin.db!.command({ ping: 1 });
    return { admin, url: found.url };
  } catch (e) {
    await admin.close().catch(() => undefined);
    return { url: found.url, skip: `no server answers (${e instanceof Error ? e.message : String(e)})` };
  }
}

const server = await connect();
const dbName = `hayon_test_${randomBytes(6).toString('hex')}`;
const db = () => server.admin!.useDb(dbName, { useCache: true });
/** The store every test of this file uses; its database and indexes are made once. */
const shared = server.skip === undefined ? new MongoStore({ url: server.url, dbName }) : undefined;

beforeAll(async () => {
  await shared?.init();
});

afterAll(async () => {
  if (server.admin) {
    await shared?.close();
    await db().dropDatabase();
    await server.admin.close();
  }
});

/** Deletes every document, keeping the collections and their indexes. */
async function emptyCollections(): Promise<void> {
  const collections = await db().db!.listCollections({}, { nameOnly: true }).toArray();
  await Promise.all(collections.map((c) => db().db!.collection(c.name).deleteMany({})));
}

defineStoreContract(
  'mongo',
  async () => ({ store: shared!, cleanup: emptyCollections }),
  server.skip === undefined ? {} : { skip: server.skip },
);

describe.skipIf(server.skip !== undefined)('MongoStore: two connections, as two processes', () => {
  let a: MongoStore;
  let b: MongoStore;

  beforeAll(async () => {
    [a, b] = [new MongoStore({ url: server.url, dbName }), new MongoStore({ url: server.url, dbName })];
    await Promise.all([a.init(), b.init()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });
  afterEach(emptyCollections);

  it('give 50 concurrent claims of one delivery exactly one winner, round after round', async () => {
    const { deliveries } = await seedPost(a, { deliveries: Array.from({ length: 5 }, () => ({})) });
    for (const d of deliveries) {
      const claims = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).claim(d.id, `w${i}`, T0, T0 + MINUTE)),
      );
      const winners = claims.filter((c) => c !== null);
      expect(winners).toHaveLength(1);
      expect(await b.getDelivery(d.id)).toMatchObject({ attempts: 1, leaseOwner: winners[0]!.delivery.leaseOwner });
    }
  });

  it('never both take the same due delivery: 4 schedulers on 2 connections split 200', async () => {
    const { deliveries } = await seedPost(a, {
      deliveries: Array.from({ length: 200 }, (_, i) => ({
        state: 'scheduled' as const,
        dueAt: T0 - (i % 7) * MINUTE,
      })),
    });
    // Each takes batches of 25 until none is left, as a scheduler's pass does.
    const takes = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const store = i % 2 ? a : b;
        const taken: Delivery[] = [];
        for (;;) {
          const batch = await store.takeDue(T0, 25);
          if (batch.length === 0) return taken;
          expect(batch).toEqual([...batch].sort(byDue));
          taken.push(...batch);
        }
      }),
    );
    const taken = takes.flat();
    const ids = taken.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(deliveries.map((d) => d.id)));
    // Returned as stored, though built from the documents read before the update.
    for (const d of taken) {
      expect(d).toMatchObject({ state: 'queued', updatedAt: T0 });
      expect(await a.getDelivery(d.id)).toEqual(d);
    }
  });

  it('never both take the same delivery by id, asked for overlapping sets', async () => {
    const { deliveries } = await seedPost(a, {
      deliveries: Array.from({ length: 40 }, () => ({ state: 'scheduled' as const, dueAt: T0 })),
    });
    const asked = deliveries.map((d) => d.id);
    // Ids 0–19, 4–23, …, 20–39: each caller may win some of its ids and lose others.
    const takes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).takeDueByIds(asked.slice(i * 4, i * 4 + 20), T0)),
    );
    const ids = takes.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(asked));
    expect(takes.flat().every((d) => d.state === 'queued' && d.updatedAt === T0)).toBe(true);
  });

  it('agree on one post for one idempotency key', async () => {
    const drafts = Array.from({ length: 6 }, () => {
      const post = makePost('ws_a', { idempotencyKey: 'race' });
      return { post, deliveries: [makeDelivery(post, makeAccount('ws_a'))] };
    });
    const results = await Promise.all(drafts.map((d, i) => (i % 2 ? a : b).createPost(d.post, d.deliveries)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.value.post.id)).size).toBe(1);
    expect(await a.countDeliveries()).toMatchObject({ queued: 1 });
  });

  it('move one pacing ledger version forward once, whoever writes it', async () => {
    const ledger = { accountId: 'acc_race', version: 1, spent: {} };
    expect(await a.putPacing(ledger)).toBe(true);
    const writes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).putPacing({ ...ledger, version: 2 })),
    );
    expect(writes.filter(Boolean)).toHaveLength(1);
    expect(await b.getPacing('acc_race')).toMatchObject({ version: 2 });
  });
});

describe.skipIf(server.skip !== undefined)('MongoStore: documents and transactions', () => {
  afterEach(emptyCollections);

  it('writes a post and its deliveries all or nothing: a refused delivery leaves no post', async () => {
    const store = shared!;
    const first = await seedPost(store);
    const post = makePost(first.post.workspaceId);
    // Its delivery reuses an existing delivery's id: the server refuses that insert.
    const clash = { ...makeDelivery(post, makeAccount(post.workspaceId)), id: first.deliveries[0]!.id };
    await expect(store.createPost(post, [makeDelivery(post, makeAccount(post.workspaceId)), clash])).rejects.toThrow();
    expect(await store.getPost(post.id)).toBeNull();
    expect((await store.listPosts(post.workspaceId, { limit: 10 })).map((p) => p.post.id)).toEqual([first.post.id]);
    expect(await store.countDeliveries()).toMatchObject({ queued: 1 });
  });

  it('stores optional fields that hold undefined as absent, not null', async () => {
    const post = makePost('ws_undef', { callbackUrl: undefined, origin: { kind: 'api', tokenId: undefined } });
    const delivery = makeDelivery(post, makeAccount('ws_undef'), { leaseOwner: undefined, result: undefined });
    await shared!.createPost(post, [delivery]);
    const doc = await db().collection<PostDoc>('posts').findOne({ _id: post.id });
    expect(doc).not.toHaveProperty('callbackUrl');
    expect(doc?.origin).toEqual({ kind: 'api' });
    expect(await db().collection<{ _id: string }>('deliveries').findOne({ _id: delivery.id })).not.toHaveProperty(
      'leaseOwner',
    );
  });

  it('gives a token document from before scopes every scope', async () => {
    const hash = 'b'.repeat(64);
    await db()
      .collection<Record<string, unknown> & { _id: string }>('api_tokens')
      .insertOne({ _id: 'tok_old', workspaceId: 'ws_old', name: 'ci', hash, createdAt: new Date(T0) });
    expect(await shared!.findApiTokenByHash(hash)).toEqual({
      id: 'tok_old',
      workspaceId: 'ws_old',
      name: 'ci',
      hash,
      scopes: ['posts:write', 'posts:read', 'accounts:manage'],
      createdAt: T0,
    });
  });
});
