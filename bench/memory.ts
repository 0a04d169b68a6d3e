// bench/memory: the resident memory (RSS, from /proc) of `hayon serve` as a child process on
// SQLite, compiled as it runs in production (test/proof's build), publishing to a local
// FakeMastodonServer, beside a floor: a bare Node process doing nothing.
//   1. idle: serve on an empty store, settled (median of the samples 3 to 6 s after start);
//   2. after the soak: posts at a steady rate (--soak-rate a second for --soak-seconds) through
//      the API, all published, then settled 5 s (median of the last 3 s);
//   3. with 100,000 scheduled posts (filled straight into the SQLite file with the store's own
//      createPost, due over the next 30 days) and a few due a few seconds after the restart:
//      median and max from the restart until those are out and 2 s more.
// Pacing and the per-token rate limit are lifted (the output says so). Every soak post and every
// due post must be published exactly once, and none of the 100,000 early, or it prints no figure.
// Linux only (/proc).
//   npx tsx bench/memory.ts [--scheduled 100000] [--soak-seconds 60] [--soak-rate 10]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type Database from 'better-sqlite3';
import { newCorrelationId, newId } from '../src/core/ids.js';
import type { Account, Delivery, Post } from '../src/core/post.js';
import { defaultWorkspaceId } from '../src/services/accounts/accounts-service.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { FakeMastodonServer } from '../test/fakes/fake-mastodon-server.js';
import {
  mb,
  median,
  postAtRate,
  prepareDataDir,
  RssSampler,
  sleep,
  startServe,
  waitUntil,
} from '../test/proof/proof-harness.js';
import { assertAllOk, liftedLimit } from './lib/check.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    scheduled: { type: 'string', default: '100000' },
    'soak-seconds': { type: 'string', default: '60' },
    'soak-rate': { type: 'string', default: '10' },
  },
});
const scheduled = Number(values.scheduled);
const soakCount = Math.round(Number(values['soak-seconds']) * Number(values['soak-rate']));
const dueCount = 5;
const dueInMs = 12_000;

/** Median RSS of a bare `node` waiting on a timer, settled: the floor no Node server goes under. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const rss = new RssSampler(child.pid!, 250);
  await sleep(3_000);
  rss.stop();
  child.kill('SIGTERM');
  await once(child, 'exit');
  return median(rss.between(Date.now() - 2_000));
}

/** A post of the API's shape due at `at`, with its one delivery to `account`. */
function scheduledPost(account: Account, text: string, at: number, now: number): { post: Post; delivery: Delivery } {
  const post: Post = {
    id: newId('post'),
    workspaceId: account.workspaceId,
    author: { id: 'tok_bench', name: 'bench' },
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

/** How many statuses the fake holds per text. */
function statusCounts(fake: FakeMastodonServer): Map<string, number> {
  const seen = new Map<string, number>();
  for (const s of fake.statuses) seen.set(s.text, (seen.get(s.text) ?? 0) + 1);
  return seen;
}

const floor = await bareNodeRss();
const fake = await new FakeMastodonServer().start();
const setup = await prepareDataDir(fake);
try {
  // 1 and 2: idle, then the soak, on one serve.
  const serve = await startServe(setup.env);
  const rss = new RssSampler(serve.pid, 500);
  await sleep(6_000);
  const idle = median(rss.between(Date.now() - 3_000));
  const texts = Array.from({ length: soakCount }, (_, i) => `soak ${i}`);
  const soakStarted = Date.now();
  const ingress = await postAtRate(serve.apiUrl, setup.token, soakCount, Number(values['soak-rate']), (i) => ({
    text: texts[i],
    targets: ['mastodon'],
  }));
  const soakMs = Date.now() - soakStarted;
  await waitUntil(() => fake.statuses.length >= soakCount, 120_000, 200);
  await sleep(5_000);
  rss.stop();
  const afterSoak = median(rss.between(Date.now() - 3_000));
  const soakMax = Math.max(...rss.between(soakStarted));
  await serve.stop('SIGTERM');
  assertAllOk('bench/memory (soak)', {
    expected: texts,
    published: statusCounts(fake),
    problems: ingress.refused.length ? [`${ingress.refused.length} of ${soakCount} posts refused by the API`] : [],
  });

  // 3: the fill, straight into the same SQLite file, then a restart.
  const store = new SqliteStore({ path: path.join(setup.dataDir, 'hayon.db') });
  await store.init();
  // Bench data only: no fsync per post, or the fill alone would take minutes here.
  (store as unknown as { db?: Database.Database }).db?.pragma('synchronous = OFF');
  const [account] = await store.listAccounts(defaultWorkspaceId);
  if (!account) throw new Error('no account in the data dir');
  const fillStarted = Date.now();
  for (let i = 0; i < scheduled; i++) {
    const at = fillStarted + 3_600_000 + Math.floor((i * 30 * 86_400_000) / scheduled);
    const { post, delivery } = scheduledPost(account, `later ${i}`, at, fillStarted);
    await store.createPost(post, [delivery]);
  }
  const fillMs = Date.now() - fillStarted;
  const dueAt = Date.now() + dueInMs;
  const dueTexts = Array.from({ length: dueCount }, (_, i) => `due ${i}`);
  for (const text of dueTexts) {
    const { post, delivery } = scheduledPost(account, text, dueAt, Date.now());
    await store.createPost(post, [delivery]);
  }
  await store.close();
  const before = fake.statuses.length;
  const loaded = await startServe(setup.env);
  const loadedRss = new RssSampler(loaded.pid, 500);
  await waitUntil(() => fake.statuses.length >= before + dueCount, dueInMs + 60_000, 100);
  await sleep(2_000);
  loadedRss.stop();
  await loaded.stop('SIGTERM');
  const published = statusCounts(fake);
  for (const t of texts) published.delete(t);
  assertAllOk(`bench/memory (${scheduled} scheduled)`, { expected: dueTexts, published });

  liftedLimit('pacing and the per-token rate limit', 'HAYON_PACING=false, HAYON_RATE_LIMIT_PER_TOKEN=1000000');
  console.log(
    `\nbench/memory: hayon serve (SQLite, compiled) RSS; soak ${soakCount} posts at ${values['soak-rate']}/s ` +
      `(${(soakMs / 1000).toFixed(0)} s), all published once; ${scheduled} scheduled filled in ${(fillMs / 1000).toFixed(0)} s, ` +
      `the ${dueCount} due among them published once`,
  );
  const all = loadedRss.between(0);
  console.log(
    table([
      { state: 'bare node (floor)', 'RSS (median)': mb(floor), max: '', 'above idle': '' },
      { state: 'hayon serve idle', 'RSS (median)': mb(idle), max: '', 'above idle': '' },
      {
        state: `after the soak (${soakCount} posts)`,
        'RSS (median)': mb(afterSoak),
        max: mb(soakMax),
        'above idle': mb(afterSoak - idle),
      },
      {
        state: `with ${scheduled.toLocaleString('en')} scheduled`,
        'RSS (median)': mb(median(all)),
        max: mb(Math.max(...all)),
        'above idle': mb(Math.max(...all) - idle),
      },
    ]),
  );
} finally {
  await fake.stop();
  await setup.cleanup();
}
