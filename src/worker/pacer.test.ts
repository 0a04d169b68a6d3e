import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import { MongoStore } from '../store/mongo/mongo-store.js';
import type { Account, Delivery, Post } from '../core/post.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { makeAccount, makeDelivery, makePost, T0 } from '../../test/store/store-fixtures.js';
import { mongoTestServer } from '../../test/mongo-server.js';
import { decidePace, type PaceLimit, paceBlock, paceBucketMs } from '../core/pacing.js';
import type { PacingStore } from '../store/ports/pacing-store.js';
import { Pacer } from './pacer.js';

const HOUR = 3_600_000;

/** The store's pacing calls, counted. */
function counted(inner: PacingStore): { store: PacingStore; calls: { get: number; put: number } } {
  const calls = { get: 0, put: 0 };
  const store: PacingStore = {
    getPacing: (accountId) => {
      calls.get++;
      return inner.getPacing(accountId);
    },
    putPacing: (ledger) => {
      calls.put++;
      return inner.putPacing(ledger);
    },
  };
  return { store, calls };
}

/** The most of `times` (the spends' times, in order) inside any one window of `limit`. */
function mostInAWindow(times: readonly number[], limit: PaceLimit): number {
  let most = 0;
  for (const [i, t] of times.entries()) {
    most = Math.max(most, times.slice(i).filter((u) => u < t + limit.windowMs).length);
  }
  return most;
}

describe('Pacer', () => {
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  const store = async () => {
    const s = new SqliteStore({ path: ':memory:' });
    await s.init();
    stores.push(s);
    return s;
  };

  it('two workers on one store never spend more than the limit between them', async () => {
    const shared = await store();
    const limits = { bluesky: [{ unit: 'points' as const, max: 30, windowMs: HOUR }] };
    const [a, b] = [new Pacer(shared, limits), new Pacer(shared, limits)];
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserve('acct_1', 'bluesky', { points: 3 }, () => T0)),
    );
    expect(decisions.filter((d) => d.fits)).toHaveLength(10);
    const ledger = await shared.getPacing('acct_1');
    expect(ledger?.spent.points?.reduce((sum, [, n]) => sum + n, 0)).toBe(30);
  });

  it('far from the limit, ten deliveries of an account cost one ledger write', async () => {
    const { store: counting, calls } = counted(await store());
    const pacer = new Pacer(counting, { bluesky: [{ unit: 'points', max: 5_000, windowMs: HOUR }] });
    for (let i = 0; i < 10; i++) {
      expect((await pacer.reserve('acct_1', 'bluesky', { points: 3 }, () => T0 + i * 500)).fits).toBe(true);
    }
    expect(calls).toEqual({ get: 1, put: 1 });
  });

  it('spending from blocks never passes a limit, counting the spends themselves', async () => {
    const inner = await store();
    const { store: counting, calls } = counted(inner);
    const limit: PaceLimit = { unit: 'requests', max: 200, windowMs: 300_000 };
    const pacer = new Pacer(counting, { mastodon: [limit] });
    const spent: number[] = [];
    for (let t = T0; t < T0 + 3 * limit.windowMs; t += 700) {
      if ((await pacer.reserve('acct_1', 'mastodon', { requests: 1 }, () => t)).fits) spent.push(t);
    }
    expect(mostInAWindow(spent, limit)).toBeLessThanOrEqual(limit.max);
    // Nothing lost: what blocks left unspent was given back, so three windows hold three limits.
    expect(spent).toHaveLength(3 * limit.max);
    expect(calls.put).toBeLessThan(spent.length);
  });

  it('near a small limit each delivery is one write, and the one over it is held back as before', async () => {
    const inner = await store();
    const { store: counting, calls } = counted(inner);
    const limit: PaceLimit = { unit: 'posts', max: 3, windowMs: 300_000 };
    const pacer = new Pacer(counting, { tumblr: [limit] });
    for (let i = 0; i < 3; i++) {
      expect((await pacer.reserve('acct_1', 'tumblr', { posts: 1 }, () => T0 + i * 1_000)).fits).toBe(true);
    }
    expect(calls.put).toBe(3);
    const refused = await pacer.reserve('acct_1', 'tumblr', { posts: 1 }, () => T0 + 3_000);
    expect(refused).toEqual({ fits: false, at: T0 + paceBucketMs + 300_000, limit });
    expect(refused).toEqual(decidePace(await inner.getPacing('acct_1'), 'acct_1', [limit], { posts: 1 }, T0 + 3_000));
    expect(calls.put).toBe(3);
  });

  it('a block is spent only within its ledger bucket; the next write gives its rest back', async () => {
    const inner = await store();
    const { store: counting, calls } = counted(inner);
    const pacer = new Pacer(counting, { bluesky: [{ unit: 'points', max: 5_000, windowMs: HOUR }] });
    for (const t of [T0, T0 + paceBucketMs - 1]) await pacer.reserve('acct_1', 'bluesky', { points: 3 }, () => t);
    expect(calls.put).toBe(1);
    expect((await inner.getPacing('acct_1'))?.spent.points).toEqual([[T0, 3 * paceBlock]]);
    await pacer.reserve('acct_1', 'bluesky', { points: 3 }, () => T0 + paceBucketMs);
    expect(calls.put).toBe(2);
    expect((await inner.getPacing('acct_1'))?.spent.points).toEqual([
      [T0, 6],
      [T0 + paceBucketMs, 3 * paceBlock],
    ]);
  });

  it('two workers spending from blocks on one store never pass the limit between them', async () => {
    const inner = await store();
    const limit: PaceLimit = { unit: 'requests', max: 400, windowMs: HOUR };
    const [a, b] = [new Pacer(inner, { mastodon: [limit] }), new Pacer(inner, { mastodon: [limit] })];
    let t = T0;
    const spent: number[] = [];
    const untilRefused = async (pacer: Pacer) => {
      while ((await pacer.reserve('acct_1', 'mastodon', { requests: 1 }, () => t)).fits) {
        spent.push(t);
        t += 300;
      }
    };
    await Promise.all([untilRefused(a), untilRefused(b)]);
    expect(spent).toHaveLength(limit.max);
    const ledger = await inner.getPacing('acct_1');
    expect(ledger?.spent.requests?.reduce((sum, [, n]) => sum + n, 0)).toBe(limit.max);
  });

  it('admit says in words why a delivery waits and until when, in the post’s time zone', async () => {
    const pacer = new Pacer(await store(), { mastodon: [{ unit: 'requests', max: 2, windowMs: 300_000 }] });
    const account: Account = makeAccount('ws', { platform: 'mastodon', handle: '@ada@example.social' });
    const post: Post = makePost('ws', { content: { text: 'hi', media: [] }, overrides: {}, timezone: 'Europe/Berlin' });
    const delivery: Delivery = makeDelivery(post, account);
    expect(await pacer.admit(post, delivery, account, () => T0)).toBeNull();
    expect(await pacer.admit(post, delivery, account, () => T0)).toBeNull();
    const refused = await pacer.admit(post, delivery, account, () => T0 + 1_000);
    expect(refused?.until).toBe(T0 + 10_000 + 300_000);
    expect(refused?.message).toBe(
      "Held back to stay under Mastodon's limit of 2 requests per 5 minutes for @ada@example.social; it goes out at 2025-06-15 18:31 CEST (Europe/Berlin).",
    );
  });

  it('a thread costs one request per part, and an attachment one more, on Mastodon', async () => {
    const pacer = new Pacer(await store(), { mastodon: [{ unit: 'requests', max: 3, windowMs: 300_000 }] });
    const account = makeAccount('ws', { platform: 'mastodon' });
    const post = makePost('ws', { content: { text: 'long', media: [{ url: 'https://x/a.png' }] }, overrides: {} });
    const thread = makeDelivery(post, account, { parts: ['one', 'two', 'three'] });
    const refused = await pacer.admit(post, thread, account, () => T0);
    expect(refused).toMatchObject({ message: expect.stringContaining('needs more than Mastodon allows') });
    expect(refused?.until).toBeUndefined();
    // Two parts already out: the last part alone fits.
    const resumed = {
      ...thread,
      chain: [
        { remoteId: '1', url: 'u1' },
        { remoteId: '2', url: 'u2' },
      ],
    };
    expect(await pacer.admit(post, resumed, account, () => T0)).toBeNull();
  });
});

const mongo = mongoTestServer();
const mongoUrl = mongo.url;

describe.skipIf(!mongoUrl)(`Pacer on MongoDB${mongo.skip ? ` (skipped: ${mongo.skip})` : ''}`, () => {
  it('two processes’ stores (two connections to one database) share one ledger and never overspend', async () => {
    const dbName = `pacer_${randomBytes(4).toString('hex')}`;
    const [one, two] = [
      new MongoStore({ url: mongoUrl ?? '', dbName }),
      new MongoStore({ url: mongoUrl ?? '', dbName }),
    ];
    try {
      await one.init();
      await two.init();
      const limits = { mastodon: [{ unit: 'requests' as const, max: 10, windowMs: 300_000 }] };
      const [a, b] = [new Pacer(one, limits), new Pacer(two, limits)];
      const decisions = await Promise.all(
        Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).reserve('acct_m', 'mastodon', { requests: 1 }, () => T0)),
      );
      expect(decisions.filter((d) => d.fits)).toHaveLength(10);
      const ledger = await one.getPacing('acct_m');
      expect(ledger?.spent.requests?.reduce((sum, [, n]) => sum + n, 0)).toBe(10);
      // Far from a larger limit they spend from blocks, and still no more than it between them.
      const large = { mastodon: [{ unit: 'requests' as const, max: 400, windowMs: 300_000 }] };
      const [c, d] = [new Pacer(one, large), new Pacer(two, large)];
      let fits = 0;
      const untilRefused = async (pacer: Pacer) => {
        while ((await pacer.reserve('acct_b', 'mastodon', { requests: 1 }, () => T0)).fits) fits++;
      };
      await Promise.all([untilRefused(c), untilRefused(d)]);
      expect(fits).toBe(400);
    } finally {
      await one.close();
      await two.close();
      const admin = await mongoose.createConnection(mongoUrl ?? '', { dbName }).asPromise();
      await admin.dropDatabase().catch(() => undefined);
      await admin.close();
    }
  }, 30_000);
});
