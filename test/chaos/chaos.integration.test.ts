import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { type Cluster, scaledUnavailableReason, startCluster } from '../scaled/cluster.js';
import { listAllPosts, postMany } from '../scaled/pds-count.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';

const unavailable = scaledUnavailableReason() ?? pdsUnavailableReason();
if (unavailable) console.warn(`Skipping the chaos test: ${unavailable}`);

const posts = Number(process.env.HAYON_CHAOS_POSTS ?? 1000);
const killEveryMs = 3_000;
const deadlineMs = 600_000;

// While posts × 3 targets flow through API + 2 workers + RabbitMQ + FerretDB to a real PDS, a
// worker is killed with SIGKILL every few seconds and restarted, and RabbitMQ is restarted once.
// Afterwards every account holds each post exactly once.
describe.skipIf(unavailable)('chaos: killed workers and a broker restart lose and double nothing', () => {
  let pds: TestPds;
  let cluster: Cluster;
  let store: MongoStore;
  const users: { handle: string; did: string; password: string }[] = [];

  beforeAll(async () => {
    pds = await startPds();
    const client = new PdsClient(pds.url);
    for (const name of ['kay', 'lou', 'max']) users.push(await client.createAccount(name));
    cluster = await startCluster({
      workers: 2,
      env: {
        HAYON_LEASE_SECONDS: '5',
        HAYON_SWEEP_INTERVAL_MS: '1000',
        HAYON_STRANDED_AFTER_MS: '5000',
      },
    });
    for (const u of users) {
      const args = [
        'accounts',
        'add',
        'bluesky',
        '--service',
        pds.url,
        '--identifier',
        u.handle,
        '--app-password',
        u.password,
      ];
      expect((await cluster.cli(args)).code).toBe(0);
    }
    store = new MongoStore({ url: cluster.env.HAYON_MONGODB_URL! });
    await store.init();
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
    await pds?.stop();
  });

  it(
    `${posts} posts × 3 targets: every one published exactly once`,
    async () => {
      const started = Date.now();
      const targets = users.map((u) => `bluesky:${u.handle}`);
      let kills = 0;
      let brokerRestarted = false;
      let stop = false;
      const chaos = (async () => {
        for (let i = 0; !stop; i++) {
          await new Promise((r) => setTimeout(r, killEveryMs));
          if (stop) break;
          const victim = i % 2;
          await cluster.killWorker(victim, 'SIGKILL');
          kills++;
          await new Promise((r) => setTimeout(r, 300));
          await cluster.startWorker(victim);
          const published = (await store.countDeliveries()).published ?? 0;
          if (!brokerRestarted && published > posts * 0.4) {
            brokerRestarted = true;
            execFileSync('rabbitmqctl', ['stop_app'], { stdio: 'ignore' });
            execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
          }
        }
      })();
      await postMany(cluster.apiUrl, cluster.token, posts, (i) => ({ text: `chaos post ${i}`, targets }));
      const accepted = Date.now();
      let counts: Record<string, number> = {};
      for (;;) {
        counts = await store.countDeliveries();
        const settled = (counts.published ?? 0) + (counts.failed ?? 0) + (counts.cancelled ?? 0);
        if (settled >= posts * 3 && brokerRestarted) break;
        if (Date.now() - started > deadlineMs) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      stop = true;
      await chaos;
      const records = await Promise.all(users.map((u) => listAllPosts(pds.url, u.did)));
      const perAccount = records.map((r) => r.length);
      const distinct = records.map((r) => new Set(r.map((x) => x.value.text)).size);
      console.log(
        `chaos: ${posts} posts × 3, ${kills} worker kills, broker restarted: ${brokerRestarted}; accepted in ${accepted - started} ms, settled in ${Date.now() - started} ms; deliveries ${JSON.stringify(counts)}; records per account ${perAccount.join('/')}`,
      );
      expect(brokerRestarted).toBe(true);
      expect(counts.published).toBe(posts * 3);
      expect(perAccount).toEqual([posts, posts, posts]);
      expect(distinct).toEqual([posts, posts, posts]);
    },
    deadlineMs + 60_000,
  );
});
