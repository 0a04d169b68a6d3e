import { expect } from 'vitest';
import { defaultWorkspaceId } from '../../src/services/accounts/accounts-service.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { startPds, type TestPds } from '../servers/bluesky/harness.js';
import { type Cluster, startCluster } from './cluster.js';
import { listAllPosts } from './pds-count.js';

export interface ScaledWorld {
  pds: TestPds;
  cluster: Cluster;
  /** The cluster's store, read directly to follow progress. */
  store: MongoStore;
  /** `bluesky:<handle>` of each connected PDS account. */
  targets: string[];
  /** Per account: the post records on the PDS, and how many distinct texts they hold. */
  recordsPerAccount(): Promise<{ records: number; distinct: number }[]>;
  /**
   * The deliveries of the stored posts, by state, and each failed one with its last error. A
   * delivery whose post was never stored (its request answered 503 with the write cut on its way,
   * and sent again) is not among them: it fails a minute later by design, and is not a failure of
   * a post.
   */
  deliveries(): Promise<{ states: Record<string, number>; failed: string[] }>;
  stop(): Promise<void>;
}

/** A real PDS with one account per name, a cluster with those accounts connected, and its store. */
export async function startScaledWorld(options: {
  names: string[];
  workers: number;
  env?: Record<string, string>;
}): Promise<ScaledWorld> {
  const pds = await startPds();
  const client = new PdsClient(pds.url);
  const users: { handle: string; did: string; password: string }[] = [];
  for (const name of options.names) users.push(await client.createAccount(name));
  const cluster = await startCluster({ workers: options.workers, ...(options.env ? { env: options.env } : {}) });
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
  const store = new MongoStore({ url: cluster.env.HAYON_MONGODB_URL! });
  await store.init();
  return {
    pds,
    cluster,
    store,
    targets: users.map((u) => `bluesky:${u.handle}`),
    async recordsPerAccount() {
      const all = await Promise.all(users.map((u) => listAllPosts(pds.url, u.did)));
      return all.map((records) => ({
        records: records.length,
        distinct: new Set(records.map((r) => r.value.text)).size,
      }));
    },
    async deliveries() {
      const all = (await store.listPosts(defaultWorkspaceId, { limit: 100_000 })).flatMap((p) => p.deliveries);
      const states: Record<string, number> = {};
      for (const d of all) states[d.state] = (states[d.state] ?? 0) + 1;
      const failed = all
        .filter((d) => d.state === 'failed')
        .map((d) => `${d.id} (${d.attempts} attempts): ${d.lastError?.kind} ${d.lastError?.message}`);
      return { states, failed };
    },
    async stop() {
      await store.close();
      await cluster.stop();
      await pds.stop();
    },
  };
}
