import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import { MongoStore } from '../store/mongo/mongo-store.js';
import type { Account, Delivery, Post } from '../core/post.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { makeAccount, makeDelivery, makePost, T0 } from '../../test/store/store-fixtures.js';
import { mongoTestServer } from '../../test/mongo-server.js';
import { Pacer } from './pacer.js';

const HOUR = 3_600_000;

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
    } finally {
      await one.close();
      await two.close();
      const admin = await mongoose.createConnection(mongoUrl ?? '', { dbName }).asPromise();
      await admin.dropDatabase().catch(() => undefined);
      await admin.close();
    }
  }, 30_000);
});
