import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultWorkspaceId } from '../../src/services/accounts/accounts-service.js';
import { newCorrelationId, newId } from '../../src/core/ids.js';
import type { Account, Delivery, Post } from '../../src/core/post.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { createPost, prepareDataDir, sleep, startServe, waitUntil } from './proof-harness.js';

// Issue #10: with 100,000 scheduled posts in the store (filled straight into the SQLite file),
// `hayon serve` still sends the posts that fall due among them: each of them exactly once, none
// before its time, and none of the 100,000 that are not due. Scraped for /metrics every 2 s, as
// Prometheus would. How much memory it takes and how late they go out are figures, printed by
// bench/memory.ts and bench/schedule.ts, never asserted here (issue #21: a loaded machine must
// not fail a test).

const scheduled = 100_000;
const dueCount = 5;
const dueInMs = 12_000;
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

  it('hayon serve sends each post that falls due among 100,000 scheduled exactly once, and none of the others', async () => {
    const fake = await new FakeMastodonServer().start();
    cleanups.push(() => fake.stop());
    const setup = await prepareDataDir(fake, { HAYON_METRICS_TOKEN: metricsToken });
    cleanups.push(setup.cleanup);

    // A first serve publishes one post, so the account is known to work.
    const first = await startServe(setup.env);
    cleanups.push(() => first.stop('SIGKILL'));
    await createPost(first.apiUrl, setup.token, { text: 'a first post', targets: ['mastodon'] });
    expect(await waitUntil(() => fake.statuses.length === 1, 30_000)).toBe(true);
    expect((await first.stop('SIGTERM')).code).toBe(0);

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
    // A few due together a little after the restart, among the 100,000.
    const dueAt = Date.now() + dueInMs;
    const dueTexts = Array.from({ length: dueCount }, (_, i) => `due now ${i}`);
    for (const text of dueTexts) {
      const next = scheduledPost(account, text, dueAt, Date.now());
      await store.createPost(next.post, [next.delivery]);
    }
    const counts = await store.countDeliveries();
    await store.close();
    expect(counts.scheduled).toBe(scheduled + dueCount);

    const serve = await startServe(setup.env);
    cleanups.push(() => serve.stop('SIGKILL'));
    const scraping = scrape(serve.apiUrl);
    // A generous wait: the bound is what a loaded machine may need, not a figure.
    const published = await waitUntil(() => fake.statuses.length >= 1 + dueCount, dueInMs + 120_000, 100);
    // A little longer: a second publish of one of them would come right after the first.
    await sleep(2_000);
    await scraping.stop();
    const stopped = await serve.stop('SIGTERM');

    expect(published).toBe(true);
    // Each due post went out once, none before its time; the 100,000 wait for theirs.
    const texts = fake.statuses.map((s) => s.text).sort();
    expect(texts).toEqual([...dueTexts, 'a first post'].sort());
    for (const s of fake.statuses.filter((st) => st.text !== 'a first post'))
      expect(Date.parse(s.created_at)).toBeGreaterThanOrEqual(dueAt);
    expect(stopped.code).toBe(0);
  }, 240_000);
});
