import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';
import { type Cluster, scaledUnavailableReason, startCluster } from './cluster.js';
import { listAllPosts, postMany } from './pds-count.js';

const unavailable = scaledUnavailableReason() ?? pdsUnavailableReason();
if (unavailable) console.warn(`Skipping the scaled end-to-end test: ${unavailable}`);

const posts = Number(process.env.HAYON_SCALED_POSTS ?? 300);

// API process + 2 worker processes + RabbitMQ + FerretDB + a real Bluesky PDS with three
// accounts: every post reaches every account exactly once.
describe.skipIf(unavailable)('scaled mode end to end', () => {
  let pds: TestPds;
  let cluster: Cluster;
  let store: MongoStore;
  const users: { handle: string; did: string; password: string }[] = [];

  beforeAll(async () => {
    pds = await startPds();
    const client = new PdsClient(pds.url);
    for (const name of ['ann', 'ben', 'cat']) users.push(await client.createAccount(name));
    cluster = await startCluster({ workers: 2 });
    for (const u of users) {
      const added = await cluster.cli([
        'accounts',
        'add',
        'bluesky',
        '--service',
        pds.url,
        '--identifier',
        u.handle,
        '--app-password',
        u.password,
      ]);
      expect(added.code).toBe(0);
    }
    store = new MongoStore({ url: cluster.env.HAYON_MONGODB_URL! });
    await store.init();
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
    await pds?.stop();
  });

  it(`publishes ${posts} posts × 3 targets, each exactly once`, async () => {
    const started = Date.now();
    const targets = users.map((u) => `bluesky:${u.handle}`);
    await postMany(cluster.apiUrl, cluster.token, posts, (i) => ({ text: `scaled post ${i}`, targets }));
    const accepted = Date.now();
    for (;;) {
      const counts = await store.countDeliveries();
      if ((counts.published ?? 0) + (counts.failed ?? 0) >= posts * 3) break;
      if (Date.now() - started > 240_000) throw new Error(`not done: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const done = Date.now();
    const counts = await store.countDeliveries();
    expect(counts.published).toBe(posts * 3);
    for (const u of users) {
      const records = await listAllPosts(pds.url, u.did);
      expect(records).toHaveLength(posts);
      expect(new Set(records.map((r) => r.value.text)).size).toBe(posts);
    }
    console.log(
      `scaled e2e: ${posts} posts × 3 accepted in ${accepted - started} ms, all ${posts * 3} published after ${done - started} ms (${((posts * 3 * 1000) / (done - started)).toFixed(0)} deliveries/s)`,
    );
  }, 300_000);
});
