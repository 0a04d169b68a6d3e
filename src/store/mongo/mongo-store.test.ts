import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineStoreContract } from '../../../test/store/store.contract.js';
import { MINUTE, makeAccount, makeDelivery, makePost, seedPost, T0 } from '../../../test/store/store-fixtures.js';
import { findByValues } from './by-values.js';
import { fromDelivery, fromPost } from './mapping.js';
import { MongoStore } from './mongo-store.js';
import type { DeliveryDoc, PostDoc } from './schemas.js';

/**
 * The server: HAYON_TEST_MONGODB_URL, else the FerretDB that scripts/services/ferretdb.sh started.
 * Each test gets its own database, dropped afterwards.
 */
async function serverUrl(): Promise<string | undefined> {
  if (process.env.HAYON_TEST_MONGODB_URL) return process.env.HAYON_TEST_MONGODB_URL;
  const info = new URL('../../../.tmp/services/ferretdb.json', import.meta.url);
  try {
    return (JSON.parse(await readFile(info, 'utf8')) as { url?: string }).url;
  } catch {
    return undefined;
  }
}

async function connect(): Promise<{ admin?: Connection; skip?: string; url: string }> {
  const url = await serverUrl();
  if (!url) return { url: '', skip: 'no server: set HAYON_TEST_MONGODB_URL or run scripts/services/ferretdb.sh' };
  const admin = mongoose.createConnection(url, { serverSelectionTimeoutMS: 2000 });
  try {
    await admin.asPromise();
    await admin.db!.command({ ping: 1 });
    return { admin, url };
  } catch (e) {
    await admin.close().catch(() => undefined);
    return { url, skip: `no server answers at ${url} (${e instanceof Error ? e.message : String(e)})` };
  }
}

const server = await connect();
afterAll(() => server.admin?.close());

const freshDbName = () => `hayon_test_${randomBytes(6).toString('hex')}`;

async function dropDatabase(dbName: string): Promise<void> {
  await server.admin!.useDb(dbName, { useCache: false }).dropDatabase();
}

defineStoreContract(
  'mongo',
  async () => {
    const dbName = freshDbName();
    const store = new MongoStore({ url: server.url, dbName });
    return {
      store,
      async cleanup() {
        await store.close();
        await dropDatabase(dbName);
      },
    };
  },
  server.skip === undefined ? {} : { skip: server.skip },
);

describe.skipIf(server.skip !== undefined)('MongoStore: two connections, as two processes', () => {
  let dbName: string;
  const open: MongoStore[] = [];

  async function openStore(): Promise<MongoStore> {
    const store = new MongoStore({ url: server.url, dbName });
    open.push(store);
    await store.init();
    return store;
  }

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await dropDatabase(dbName);
  });

  it('never both claim a delivery', async () => {
    dbName = freshDbName();
    const [a, b] = [await openStore(), await openStore()];
    const { deliveries } = await seedPost(a, { deliveries: Array.from({ length: 10 }, () => ({})) });
    for (const d of deliveries) {
      const claims = await Promise.all([
        a.claim(d.id, 'wa1', T0, T0 + MINUTE),
        b.claim(d.id, 'wb1', T0, T0 + MINUTE),
        a.claim(d.id, 'wa2', T0, T0 + MINUTE),
        b.claim(d.id, 'wb2', T0, T0 + MINUTE),
      ]);
      const winners = claims.filter((c) => c !== null);
      expect(winners).toHaveLength(1);
      expect(await b.getDelivery(d.id)).toMatchObject({ attempts: 1, leaseOwner: winners[0]!.delivery.leaseOwner });
    }
  });

  it('never both take the same due delivery', async () => {
    dbName = freshDbName();
    const [a, b] = [await openStore(), await openStore()];
    const { deliveries } = await seedPost(a, {
      deliveries: Array.from({ length: 30 }, (_, i) => ({ state: 'scheduled' as const, dueAt: T0 - i * MINUTE })),
    });
    const batches = await Promise.all([a.takeDue(T0, 10), b.takeDue(T0, 10), a.takeDue(T0, 10), b.takeDue(T0, 10)]);
    const ids = batches.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(deliveries.map((d) => d.id)));
  });

  it('agree on one post for one idempotency key', async () => {
    dbName = freshDbName();
    const [a, b] = [await openStore(), await openStore()];
    const drafts = Array.from({ length: 6 }, () => {
      const post = makePost('ws_a', { idempotencyKey: 'race' });
      return { post, deliveries: [makeDelivery(post, makeAccount('ws_a'))] };
    });
    const results = await Promise.all(drafts.map((d, i) => (i % 2 ? a : b).createPost(d.post, d.deliveries)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.value.post.id)).size).toBe(1);
    expect(await a.countDeliveries()).toMatchObject({ queued: 1 });
  });
});

describe.skipIf(server.skip !== undefined)('MongoStore: documents, and createPost cut short by a crash', () => {
  const dbName = freshDbName();
  const store = new MongoStore({ url: server.url, dbName });
  const db = () => server.admin!.useDb(dbName, { useCache: false });
  const rawDeliveries = () => db().collection<DeliveryDoc>('deliveries');

  beforeAll(() => store.init());
  afterAll(async () => {
    await store.close();
    await dropDatabase(dbName);
  });

  /** What a createPost call has written when it dies: its drafts, and the post too if `committed`. */
  async function crashedCreate(committed: boolean, startedAt: number) {
    const post = makePost('ws_crash');
    const delivery = makeDelivery(post, makeAccount('ws_crash'), { dueAt: T0 - 60 * MINUTE });
    const token = `token-${post.id}`;
    await rawDeliveries().insertOne(fromDelivery(delivery, 0, { token, at: new Date(startedAt) }));
    if (committed) await db().collection<PostDoc>('posts').insertOne(fromPost(post, token));
    return { post, delivery };
  }

  it('stores optional fields that hold undefined as absent, not null', async () => {
    const post = makePost('ws_undef', { callbackUrl: undefined, origin: { kind: 'api', tokenId: undefined } });
    const delivery = makeDelivery(post, makeAccount('ws_undef'), { leaseOwner: undefined, result: undefined });
    await store.createPost(post, [delivery]);
    const doc = await db().collection<PostDoc>('posts').findOne({ _id: post.id });
    expect(doc).not.toHaveProperty('callbackUrl');
    expect(doc?.origin).toEqual({ kind: 'api' });
    expect(await rawDeliveries().findOne({ _id: delivery.id })).not.toHaveProperty('leaseOwner');
  });

  it('a committed post whose deliveries were not released yet is complete, and the sweeper releases them', async () => {
    const { post, delivery } = await crashedCreate(true, Date.now());
    expect((await store.getPost(post.id))?.deliveries).toEqual([delivery]);
    // Not yet visible to the scheduler and workers...
    expect(await store.getDelivery(delivery.id)).toBeNull();
    expect(await store.claim(delivery.id, 'w1', T0, T0 + MINUTE)).toBeNull();
    // ...until the sweeper passes.
    const taken = await store.takeStranded('queued', T0 - 30 * MINUTE, T0, 10);
    expect(taken.map((d) => d.id)).toContain(delivery.id);
    expect(await store.getDelivery(delivery.id)).toEqual({ ...delivery, dueAt: T0, updatedAt: T0 });
    expect((await store.claim(delivery.id, 'w1', T0, T0 + MINUTE))?.from).toBe('queued');
  });

  it('drafts of a post never committed stay invisible, and are deleted once abandoned', async () => {
    const fresh = await crashedCreate(false, Date.now());
    const abandoned = await crashedCreate(false, Date.now() - 11 * MINUTE);
    for (const { post, delivery } of [fresh, abandoned]) {
      expect(await store.getPost(post.id)).toBeNull();
      expect(await store.getDelivery(delivery.id)).toBeNull();
    }
    expect((await store.takeStranded('queued', T0, T0, 10)).map((d) => d.id)).not.toContain(fresh.delivery.id);
    expect(await rawDeliveries().countDocuments({ _id: abandoned.delivery.id })).toBe(0);
    expect(await rawDeliveries().countDocuments({ _id: fresh.delivery.id })).toBe(1);
    expect(await store.countDeliveries()).not.toHaveProperty('draft');
  });

  it('gives a token document from before scopes every scope', async () => {
    const hash = 'b'.repeat(64);
    await db()
      .collection<Record<string, unknown> & { _id: string }>('api_tokens')
      .insertOne({ _id: 'tok_old', workspaceId: 'ws_old', name: 'ci', hash, createdAt: new Date(T0) });
    expect(await store.findApiTokenByHash(hash)).toEqual({
      id: 'tok_old',
      workspaceId: 'ws_old',
      name: 'ci',
      hash,
      scopes: ['posts:write', 'posts:read', 'accounts:manage'],
      createdAt: T0,
    });
  });
});

describe.skipIf(server.skip !== undefined)('findByValues: one $in, or one query per value (FerretDB)', () => {
  it('finds the same documents both ways, each value once, with the fields asked for', async () => {
    const dbName = freshDbName();
    const store = new MongoStore({ url: server.url, dbName });
    await store.init();
    try {
      const seeded = [await seedPost(store), await seedPost(store, { deliveries: [{}, {}] })];
      const model = server
        .admin!.useDb(dbName, { useCache: false })
        .model<DeliveryDoc>(
          'DeliveryProbe',
          new mongoose.Schema({ _id: String, postId: String, seq: Number }, { strict: false }),
          'deliveries',
        );
      const postIds = [seeded[1]!.post.id, 'post_missing', seeded[0]!.post.id, seeded[1]!.post.id];
      const ids = (docs: DeliveryDoc[]) => docs.map((d) => d._id).sort();
      const expected = seeded.flatMap((s) => s.deliveries.map((d) => d.id)).sort();
      const inOne = await findByValues(model, 'postId', postIds, false, { _id: 1, postId: 1 });
      const perValue = await findByValues(model, 'postId', postIds, true, { _id: 1, postId: 1 });
      expect(ids(inOne)).toEqual(expected);
      expect(ids(perValue)).toEqual(expected);
      expect(perValue[0]).not.toHaveProperty('state');
      expect(await findByValues(model, 'postId', [], true)).toEqual([]);
    } finally {
      await store.close();
      await dropDatabase(dbName);
    }
  });
});
