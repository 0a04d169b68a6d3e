import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { scaledUnavailableReason } from '../scaled/cluster.js';
import {
  type HayonProcess,
  postAtRate,
  prepareDataDir,
  scaledEnv,
  spawnHayon,
  startServe,
  tally,
  waitUntil,
} from './proof-harness.js';

// Issue #10, "graceful stop": SIGTERM under load → in-flight deliveries finish or are left
// `queued`, none `publishing`; nothing lost on restart. hayon runs as real child processes; the
// fake Mastodon answers each status after 200-600 ms, so that every SIGTERM finds calls in flight.

/** A call takes at most 0.6 s: a process still there after this hangs on something else. */
const exitBoundMs = 10_000;
const slowMastodon = () => new FakeMastodonServer({ statusDelayMs: () => 200 + Math.random() * 400 }).start();

/** Deliveries per state, read straight from the store the processes used. */
async function countsIn(store: Store) {
  try {
    await store.init();
    const c = await store.countDeliveries();
    const n = (state: string) => c[state] ?? 0;
    return {
      published: n('published'),
      queued: n('queued'),
      scheduled: n('scheduled'),
      publishing: n('publishing'),
      unknown: n('unknown'),
    };
  } finally {
    await store.close();
  }
}

/** What a SIGTERM should give: exit code 0, on its own, soon. */
async function terminate(p: HayonProcess) {
  const stopped = await p.stop('SIGTERM');
  expect(stopped, p.stderrTail()).toMatchObject({ code: 0, signal: null });
  expect(stopped.ms).toBeLessThan(exitBoundMs);
  return stopped;
}

const scaledUnavailable = scaledUnavailableReason();
if (scaledUnavailable) console.warn(`Skipping the scaled graceful-stop proof: ${scaledUnavailable}`);

describe('graceful stop: SIGTERM under load', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('embedded serve: calls in flight are recorded, none left publishing, and after a restart each post is out exactly once', async () => {
    const posts = 300;
    const fake = await slowMastodon();
    cleanups.push(() => fake.stop());
    const setup = await prepareDataDir(fake);
    cleanups.push(setup.cleanup);
    const texts = Array.from({ length: posts }, (_, i) => `graceful stop, embedded ${i}`);
    const body = (i: number) => ({ text: texts[i], targets: ['mastodon'] });

    const first = await startServe(setup.env);
    cleanups.push(() => first.stop('SIGKILL'));
    // Posts keep arriving (100/s) while the SIGTERM comes: those refused are sent again after the restart.
    const ingress = postAtRate(first.apiUrl, setup.token, posts, 100, body);
    expect(await waitUntil(() => fake.statuses.length >= 40, 30_000)).toBe(true);
    const stopped = await terminate(first);
    const atStop = fake.statuses.length;
    const counts = await countsIn(new SqliteStore({ path: path.join(setup.dataDir, 'hayon.db') }));
    const { accepted, refused } = await ingress;

    const second = await startServe(setup.env);
    cleanups.push(() => second.stop('SIGKILL'));
    const restartedAt = Date.now();
    const again = await postAtRate(
      second.apiUrl,
      setup.token,
      refused.length,
      100,
      (n) => body(refused[n]!),
      (n) => `proof-${refused[n]}`,
    );
    const done = await waitUntil(() => fake.statuses.length >= posts, 90_000);
    const drainMs = Date.now() - restartedAt;
    await terminate(second);
    const requeued = Number(second.seen('queued deliveries of the last run requeued').first?.requeued ?? 0);
    const { missing, doubled } = tally(fake, texts);
    console.log(
      `graceful stop (embedded): ${posts} posts at 100/s, ${refused.length} refused while stopping; SIGTERM with ${atStop} published → exit ${stopped.code} in ${stopped.ms} ms; ` +
        `store then: ${counts.published} published, ${counts.queued} queued, ${counts.scheduled} scheduled, ${counts.publishing} publishing, ${counts.unknown} unknown; ` +
        `restart requeued ${requeued}, all out ${drainMs} ms after it: ${fake.statuses.length} statuses, ${missing.length} missing, ${doubled.length} doubled`,
    );

    // Nothing is left mid-call, and every call that reached Mastodon was recorded as published.
    expect(counts.publishing).toBe(0);
    expect(counts.unknown).toBe(0);
    expect(counts.published).toBe(atStop);
    expect(counts.queued + counts.scheduled).toBe(accepted.length - atStop);
    // The restart sends what the stopped process still held in its (in-memory) queue at once.
    expect(requeued).toBe(counts.queued);
    expect(again.refused).toEqual([]);
    expect(done).toBe(true);
    expect({ missing, doubled }).toEqual({ missing: [], doubled: [] });
  }, 150_000);

  it.skipIf(scaledUnavailable)(
    'scaled: each worker SIGTERMed under load finishes its calls, none left publishing, and a new worker publishes the rest exactly once',
    async () => {
      // Fewer than embedded: each process writes through one shared test server here.
      const posts = 100;
      const fake = await slowMastodon();
      cleanups.push(() => fake.stop());
      const scaled = scaledEnv();
      cleanups.push(scaled.cleanup);
      const setup = await prepareDataDir(fake, scaled.env);
      cleanups.push(setup.cleanup);
      const texts = Array.from({ length: posts }, (_, i) => `graceful stop, scaled ${i}`);

      const api = await startServe(setup.env, ['--no-worker']);
      const workers: HayonProcess[] = [];
      const startWorker = async () => {
        const w = await spawnHayon(['worker'], setup.env);
        workers.push(w);
        cleanups.push(() => w.stop('SIGKILL'));
        await w.waitForLog('hayon worker started');
      };
      cleanups.push(() => api.stop('SIGKILL'));
      await Promise.all([startWorker(), startWorker()]);
      const ingress = postAtRate(api.apiUrl, setup.token, posts, 100, (i) => ({
        text: texts[i],
        targets: ['mastodon'],
      }));

      // One worker stops while the other goes on; then the other stops too, with work left in the queue.
      expect(await waitUntil(() => fake.statuses.length >= 15, 60_000)).toBe(true);
      const firstStop = await terminate(workers[0]!);
      expect(await waitUntil(() => fake.statuses.length >= 40, 60_000)).toBe(true);
      const secondStop = await terminate(workers[1]!);
      const atStop = fake.statuses.length;
      expect((await ingress).refused).toEqual([]);
      const counts = await countsIn(new MongoStore({ url: setup.env.HAYON_MONGODB_URL! }));

      const restartedAt = Date.now();
      await startWorker();
      const done = await waitUntil(() => fake.statuses.length >= posts, 90_000);
      const drainMs = Date.now() - restartedAt;
      await terminate(workers[2]!);
      await terminate(api);
      const { missing, doubled } = tally(fake, texts);
      console.log(
        `graceful stop (scaled, DocumentDB + RabbitMQ): ${posts} posts; worker 1 SIGTERM → exit ${firstStop.code} in ${firstStop.ms} ms, ` +
          `worker 2 SIGTERM → exit ${secondStop.code} in ${secondStop.ms} ms with ${atStop} published; ` +
          `store then: ${counts.published} published, ${counts.queued} queued, ${counts.scheduled} scheduled, ${counts.publishing} publishing, ${counts.unknown} unknown; ` +
          `a new worker had all out in ${drainMs} ms: ${fake.statuses.length} statuses, ${missing.length} missing, ${doubled.length} doubled`,
      );
      // What the processes warned about, to tell from a failure here which step went wrong.
      for (const [name, p] of [
        ['api', api],
        ['worker 1', workers[0]],
        ['worker 2', workers[1]],
        ['worker 3', workers[2]],
      ] as const)
        for (const w of p!.warnings()) console.log(`${name} warned ${w.count}×: ${JSON.stringify(w.first)}`);

      expect(counts.publishing).toBe(0);
      expect(counts.unknown).toBe(0);
      expect(counts.published).toBe(atStop);
      expect(counts.queued + counts.scheduled).toBe(posts - atStop);
      expect(done).toBe(true);
      expect({ missing, doubled }).toEqual({ missing: [], doubled: [] });
    },
    150_000,
  );
});
