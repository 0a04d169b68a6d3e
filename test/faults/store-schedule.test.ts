import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakePlatform } from '../fakes/fake-platform.js';
import { type Answer, type TestHayon, waitFor } from '../harness.js';
import { mongoTestServer } from '../mongo-server.js';
import { type MongoAway, mongoAway } from './mongo-proxy.js';
import {
  lockedSqlite,
  noTinyDisk,
  sqliteOnTinyDisk,
  type StoreFault,
  hayonWithAlice,
  sqlitePathOf,
} from './store-faults.js';
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
    const started = await hayonWithAlice();
    h = started.h;
    await scheduleThenLose(started.h, started.bluesky, lockedSqlite(sqlitePathOf(started.h)));
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
    const started = await hayonWithAlice({ store: disk.store });
    h = started.h;
    await scheduleThenLose(started.h, started.bluesky, disk.fault);
  }, 60_000);
});

const mongo = mongoTestServer();

describe.skipIf(mongo.skip !== undefined)('MongoDB away at the schedule step', () => {
  const dbName = `hayon_store_schedule_${process.pid}_${Date.now()}`;
  let away: MongoAway;
  let h: TestHayon | undefined;
  let bluesky: FakePlatform;

  beforeAll(async () => {
    away = await mongoAway(mongo.url ?? '', dbName);
    ({ h, bluesky } = await hayonWithAlice({ store: away.store }));
  }, 300_000);
  afterAll(async () => {
    await away?.fault.bringBack();
    await h?.stop();
    await away?.dispose();
  }, 60_000);

  it('MongoDB down · schedule: connections cut past the post’s time; back → published once', async () => {
    recordCell('MongoDB down', 'schedule');
    await scheduleThenLose(h as TestHayon, bluesky, away.fault);
  }, 60_000);
});
