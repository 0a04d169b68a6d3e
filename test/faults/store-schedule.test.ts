import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import type { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { type Answer, startHayon, type TestHayon, waitFor } from '../harness.js';
import { mongoTestServer } from '../mongo-server.js';
import { dropMongoDatabase, mongoBehindProxy } from './mongo-proxy.js';
import { lockedSqlite, noTinyDisk, sqliteOnTinyDisk, type StoreFault } from './store-faults.js';
import { recordCell } from './matrix.js';

// The fault matrix, schedule step, store column: a post scheduled while the store is there falls
// due while it is away (SQLite's write lock held by another process; MongoDB's connections cut
// by a TCP proxy). The scheduler's passes fail and are logged, nothing is lost or doubled: once
// the store is back the post goes out, once, within a few seconds.
const lateBy = 4_000;

async function scheduleThenLose(h: TestHayon, bluesky: FakePlatform, fault: StoreFault) {
  const when = new Date(Date.now() + 1_500).toISOString();
  const res = await h.api('POST', '/v1/posts', { text: 'due while the store is away', targets: ['bluesky'], when });
  expect(res.status).toBe(202);
  const created = await res.json();
  await fault.takeAway();
  try {
    // Past its time with the store away: nothing went out.
    await new Promise((r) => setTimeout(r, 1_500 + lateBy));
    expect(bluesky.calls).toBe(0);
  } finally {
    await fault.bringBack();
  }
  const back = Date.now();
  const view = async (): Promise<Answer> => (await h.api('GET', `/v1/posts/${created.id}`)).json();
  await waitFor(async () => (await view()).status === 'COMPLETED', 30_000);
  expect(Date.now() - back).toBeLessThan(15_000);
  expect([...bluesky.posts.values()].map((p) => p.text)).toEqual(['due while the store is away']);
  expect(bluesky.calls).toBe(1);
}

describe('store away at the schedule step', () => {
  let h: TestHayon | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('SQLite locked · schedule: the write lock held past the post’s time; released → published once', async () => {
    recordCell('SQLite locked', 'schedule');
    const bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    h = await startHayon({ platforms: { bluesky } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    const { store } = h.ctx.config;
    if (store.kind !== 'sqlite') throw new Error('expected the SQLite store');
    await scheduleThenLose(h, bluesky, lockedSqlite(store.path));
  }, 60_000);
});

describe('SQLite disk full at the schedule step', () => {
  const onTinyDisk = sqliteOnTinyDisk();
  let h: TestHayon | undefined;
  afterAll(async () => {
    await h?.stop();
  });

  it('SQLite disk full · schedule: the disk fills past the post’s time; room again → published once', async (t) => {
    recordCell('SQLite disk full', 'schedule');
    const disk = onTinyDisk();
    if (!disk) return t.skip(noTinyDisk);
    const bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    h = await startHayon({ store: disk.store, platforms: { bluesky } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await scheduleThenLose(h, bluesky, disk.fault);
  }, 60_000);
});

const mongo = mongoTestServer();

describe.skipIf(mongo.skip !== undefined)('MongoDB away at the schedule step', () => {
  const dbName = `hayon_store_schedule_${process.pid}_${Date.now()}`;
  let proxy: TcpFaultProxy;
  let h: TestHayon | undefined;
  let bluesky: FakePlatform;

  beforeAll(async () => {
    let url: string;
    ({ proxy, url } = await mongoBehindProxy(mongo.url ?? '', dbName));
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    h = await startHayon({ store: new MongoStore({ url, serverSelectionTimeoutMs: 3000 }), platforms: { bluesky } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  }, 300_000);
  afterAll(async () => {
    await proxy?.restore();
    await h?.stop();
    await proxy?.stop();
    await dropMongoDatabase(mongo.url ?? '', dbName);
  }, 60_000);

  it('MongoDB down · schedule: connections cut past the post’s time; back → published once', async () => {
    recordCell('MongoDB down', 'schedule');
    await scheduleThenLose(h as TestHayon, bluesky, { takeAway: () => proxy.cut(), bringBack: () => proxy.restore() });
  }, 60_000);
});
