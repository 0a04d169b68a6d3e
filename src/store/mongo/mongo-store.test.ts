import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defineStoreContract } from '../store.contract.js';
import { MINUTE, makeAccount, makeDelivery, makePost, seedPost, T0 } from '../store-fixtures.js';
import { MongoStore } from './mongo-store.js';

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

const dbNames = () => `hayon_test_${randomBytes(6).toString('hex')}`;

async function dropDatabase(dbName: string): Promise<void> {
  await server.admin!.useDb(dbName, { useCache: false }).dropDatabase();
}

defineStoreContract(
  'mongo',
  async () => {
    const dbName = dbNames();
    const store = new MongoStore({ url: server.url, dbName, writeLocks: false });
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
    const store = new MongoStore({ url: server.url, dbName, writeLocks: false });
    open.push(store);
    await store.init();
    return store;
  }

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await dropDatabase(dbName);
  });

  it('never both claim a delivery', async () => {
    dbName = dbNames();
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
    dbName = dbNames();
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
    dbName = dbNames();
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
