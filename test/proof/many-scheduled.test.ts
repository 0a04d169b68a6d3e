import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultWorkspaceId } from '../../src/services/accounts/accounts-service.js';
import { newCorrelationId, newId } from '../../src/core/ids.js';
import type { Account, Delivery, Post } from '../../src/core/post.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { createPost, mb, median, prepareDataDir, RssSampler, sleep, startServe, waitUntil } from './proof-harness.js';

// Issue #10: 100,000 scheduled posts in the store: RSS of `hayon serve` stays within 50 MB of
// idle, and the next due post still goes out on time.
// - Idle: `hayon serve` on the same data dir with nothing in the store, settled. With the 100,000
//   (filled straight into the SQLite file), every RSS sample from the restart until the due post
//   is out and 2 s more stays under idle + 50 MB.
// - On time: the scheduler sleeps until the earliest due delivery and looks at the store at least
//   every second (src/worker/scheduler.ts), so a post goes out within that second plus one call
//   to the platform: under 2 s late, as the fake saw it.
// Both runs are scraped for /metrics every 2 s, as Prometheus would.

const scheduled = 100_000;
const dueInMs = 12_000;
const latenessBoundMs = 2_000;
const rssBoundMb = 50;
const metricsToken = 'proof-metrics-token';

/** A post of the API's shape, due at `at`, with its one delivery to `account`, waiting in the store. */
function scheduledPost(account: Account, text: string, at: number, now: number): { post: Post; delivery: Delivery } {
  const post: Post = {
    id: newId('post'),
    workspaceId: account.workspaceId,
    author: { id: 'tok_proof', name: 'proof' },
    origin: { kind: 'api' },
    content: { text, media: [] },
    overrides: {},
    scheduledAt: at,
    timezone: 'UTC',
    correlationId: newCorrelationId(),
    createdAt: now,
  };
  const delivery: Delivery = {
    id: newId('dlv'),
    postId: post.id,
    workspaceId: post.workspaceId,
    accountId: account.id,
    platform: account.platform,
    state: 'scheduled',
    dueAt: at,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  };
  return { post, delivery };
}

/** Asks for /metrics every 2 s until stopped; a refusal fails the test at the end. */
function scrape(apiUrl: string): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const res = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
      await res.text();
      await sleep(2_000);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

describe('100,000 scheduled posts in the store', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('hayon serve stays within 50 MB of its idle RSS and the next due post goes out on time', async () => {
    const fake = await new FakeMastodonServer().start();
    cleanups.push(() => fake.stop());
    const setup = await prepareDataDir(fake, { HAYON_METRICS_TOKEN: metricsToken });
    cleanups.push(setup.cleanup);

    // Idle: the same serve with nothing in the store, settled: the median of its samples from 3 s
    // to 6 s after start. Then it publishes one post and settles again, to show how much of the
    // difference is only the code and connections a first publish brings (printed, not asserted).
    const idleServe = await startServe(setup.env);
    cleanups.push(() => idleServe.stop('SIGKILL'));
    const idleRss = new RssSampler(idleServe.pid, 500);
    const idleScrape = scrape(idleServe.apiUrl);
    await sleep(6_000);
    const idle = median(idleRss.between(Date.now() - 3_000));
    await createPost(idleServe.apiUrl, setup.token, { text: 'a first post', targets: ['mastodon'] });
    expect(await waitUntil(() => fake.statuses.length === 1, 30_000)).toBe(true);
    await sleep(5_000);
    await idleScrape.stop();
    idleRss.stop();
    const idleAfterPublish = median(idleRss.between(Date.now() - 3_000));
    expect((await idleServe.stop('SIGTERM')).code).toBe(0);

    // The fill, straight into the same SQLite file with the store's own createPost.
    const store = new SqliteStore({ path: path.join(setup.dataDir, 'hayon.db') });
    await store.init();
    // Test data only: no fsync per post, or the fill alone would take 20 s here.
    (store as unknown as { db?: Database.Database }).db?.pragma('synchronous = OFF');
    const [account] = await store.listAccounts(defaultWorkspaceId);
    if (!account) throw new Error('no account in the data dir');
    const fillStarted = Date.now();
    for (let i = 0; i < scheduled; i++) {
      // Spread over the next 30 days, the nearest an hour away.
      const at = fillStarted + 3_600_000 + Math.floor((i * 30 * 86_400_000) / scheduled);
      const { post, delivery } = scheduledPost(account, `later ${i}`, at, fillStarted);
      await store.createPost(post, [delivery]);
    }
    const fillMs = Date.now() - fillStarted;
    const dueAt = Date.now() + dueInMs;
    const next = scheduledPost(account, 'the next due post', dueAt, Date.now());
    await store.createPost(next.post, [next.delivery]);
    const counts = await store.countDeliveries();
    await store.close();
    expect(counts.scheduled).toBe(scheduled + 1);

    const serve = await startServe(setup.env);
    cleanups.push(() => serve.stop('SIGKILL'));
    const rss = new RssSampler(serve.pid, 500);
    cleanups.push(() => rss.stop());
    const scraping = scrape(serve.apiUrl);
    const published = await waitUntil(() => fake.statuses.length > 1, dueInMs + 30_000, 100);
    // A little longer: what the publish itself allocates counts too.
    await sleep(2_000);
    await scraping.stop();
    rss.stop();
    const stopped = await serve.stop('SIGTERM');
    const status = fake.statuses.find((s) => s.text === next.post.content.text);
    const lateness = status ? Date.parse(status.created_at) - dueAt : Number.NaN;
    console.log(
      `100k scheduled: fill ${scheduled} posts in ${fillMs} ms; idle RSS ${mb(idle)}, ${mb(idleAfterPublish)} after one publish; ` +
        `with ${scheduled} scheduled: max ${mb(rss.max)} (+${mb(rss.max - idle)}), median ${mb(median(rss.between(0)))}, ` +
        `${rss.samples.length} samples; next due post out ${lateness} ms after its time; ${fake.statuses.length - 1} status(es) published in that run`,
    );

    expect(published).toBe(true);
    // Only the one due post went out, once; the 100,000 wait for their time.
    expect(fake.statuses.map((s) => s.text)).toEqual([next.post.content.text, 'a first post']);
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(latenessBoundMs);
    expect(rss.max - idle).toBeLessThan(rssBoundMb);
    expect(stopped.code).toBe(0);
  }, 150_000);
});
