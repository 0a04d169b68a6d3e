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

// The fault matrix, publish step, store column: the store goes away while a delivery is being
// published (the platform takes 1.5 s), so its outcome cannot be recorded; it comes back 4 s
// later. The attempt's lease lapses, the sweeper sends the delivery again as `unknown`, and the
// next attempt asks the platform first: it finds the post and records it. Published once.
/** How long the platform takes to answer: the store goes away meanwhile. */
const platformMs = 1_500;
const fast = {
  env: { leaseSeconds: '2' },
  sweeper: { intervalMs: 250, strandedAfterMs: 1_000 },
  retry: { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 400, jitter: 0 },
};

async function loseDuringPublish(h: TestHayon, bluesky: FakePlatform, fault: StoreFault) {
  const created = await (await h.api('POST', '/v1/posts', { text: 'recorded late', targets: ['bluesky'] })).json();
  await waitFor(async () => bluesky.calls === 1, 10_000);
  await fault.takeAway();
  try {
    await new Promise((r) => setTimeout(r, 4_000));
  } finally {
    await fault.bringBack();
  }
  const view = async (): Promise<Answer> => (await h.api('GET', `/v1/posts/${created.id}`)).json();
  await waitFor(async () => (await view()).status === 'COMPLETED', 30_000);
  expect([...bluesky.posts.keys()]).toEqual([(await view()).deliveries[0].id]);
  expect(bluesky.calls).toBe(1);
}

describe('store away at the publish step', () => {
  let h: TestHayon | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('SQLite locked · publish: the outcome cannot be written; back → reconciled, published once', async () => {
    recordCell('SQLite locked', 'publish');
    const started = await hayonWithAlice(fast, platformMs);
    h = started.h;
    await loseDuringPublish(started.h, started.bluesky, lockedSqlite(sqlitePathOf(started.h)));
  }, 60_000);
});

describe('SQLite disk full at the publish step', () => {
  const onTinyDisk = sqliteOnTinyDisk();
  let h: TestHayon | undefined;
  afterAll(async () => {
    await h?.stop();
  });

  it('SQLite disk full · publish: the outcome cannot be written; room again → recorded, published once', async (t) => {
    recordCell('SQLite disk full', 'publish');
    const disk = onTinyDisk();
    if (!disk) return t.skip(noTinyDisk);
    const started = await hayonWithAlice({ ...fast, store: disk.store }, platformMs);
    h = started.h;
    await loseDuringPublish(started.h, started.bluesky, disk.fault);
  }, 60_000);
});

const mongo = mongoTestServer();

describe.skipIf(mongo.skip !== undefined)('MongoDB away at the publish step', () => {
  const dbName = `hayon_store_publish_${process.pid}_${Date.now()}`;
  let away: MongoAway;
  let h: TestHayon | undefined;
  let bluesky: FakePlatform;

  beforeAll(async () => {
    away = await mongoAway(mongo.url ?? '', dbName);
    ({ h, bluesky } = await hayonWithAlice({ ...fast, store: away.store }, platformMs));
  }, 300_000);
  afterAll(async () => {
    await away?.fault.bringBack();
    await h?.stop();
    await away?.dispose();
  }, 60_000);

  it('MongoDB down · publish: the outcome cannot be written; back → reconciled, published once', async () => {
    recordCell('MongoDB down', 'publish');
    await loseDuringPublish(h as TestHayon, bluesky, away.fault);
  }, 60_000);
});
