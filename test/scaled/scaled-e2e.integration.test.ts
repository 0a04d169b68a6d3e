import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../prometheus-text.js';
import { pdsUnavailableReason } from '../servers/bluesky/harness.js';
import { scaledUnavailableReason } from './cluster.js';
import { postMany } from './pds-count.js';
import { type ScaledWorld, startScaledWorld } from './world.js';

const unavailable = scaledUnavailableReason() ?? pdsUnavailableReason();
if (unavailable) console.warn(`Skipping the scaled end-to-end test: ${unavailable}`);

const posts = Number(process.env.HAYON_SCALED_POSTS ?? 300);

// API process + 2 worker processes + RabbitMQ + DocumentDB + a real Bluesky PDS with three
// accounts: every post reaches every account exactly once.
describe.skipIf(unavailable)('scaled mode end to end', () => {
  let world: ScaledWorld;

  beforeAll(async () => {
    world = await startScaledWorld({ names: ['ann', 'ben', 'cat'], workers: 2 });
  }, 120_000);
  afterAll(async () => world?.stop());

  it(`publishes ${posts} posts × 3 targets, each exactly once`, async () => {
    const { cluster } = world;
    const started = Date.now();
    await postMany(cluster.apiUrl, cluster.token, posts, (i) => ({ text: `scaled post ${i}`, targets: world.targets }));
    const accepted = Date.now();
    let deliveries: Awaited<ReturnType<ScaledWorld['deliveries']>>;
    for (;;) {
      deliveries = await world.deliveries();
      const { published = 0, failed = 0 } = deliveries.states;
      if (published + failed >= posts * 3) break;
      if (Date.now() - started > 240_000) throw new Error(`not done: ${JSON.stringify(deliveries.states)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const done = Date.now();
    const warnings = cluster.warnings();
    expect(deliveries.failed, `failed deliveries; the processes warned:\n${warnings.join('\n')}`).toEqual([]);
    expect(deliveries.states).toEqual({ published: posts * 3 });
    expect(await world.recordsPerAccount()).toEqual([
      { records: posts, distinct: posts },
      { records: posts, distinct: posts },
      { records: posts, distinct: posts },
    ]);
    const rate = ((posts * 3 * 1000) / (done - started)).toFixed(0);
    console.log(
      `scaled e2e: ${posts} posts × 3 accepted in ${accepted - started} ms, all ${posts * 3} published after ${done - started} ms (${rate} deliveries/s)` +
        (warnings.length > 0 ? `; the processes warned ${warnings.length} times` : ''),
    );
  }, 300_000);

  it("each worker's metrics count what it published, and the API's show the store's totals", async () => {
    const { api, workers } = world.cluster.metricsUrls();
    const published = 'platform="bluesky",outcome="published"';
    let sum = 0;
    for (const url of workers) {
      const text = await (await fetch(url)).text();
      sum += sample(text, 'hayon_delivery_attempts_total', published) ?? 0;
      // A worker reports its own counts only; the store's gauges come from the API process.
      expect(sample(text, 'hayon_deliveries', 'state="published"')).toBeUndefined();
      expect(sample(text, 'hayon_process_resident_memory_bytes')).toBeGreaterThan(0);
    }
    expect(sum).toBe(posts * 3);
    const text = await (await fetch(api)).text();
    expect(sample(text, 'hayon_posts_created_total', 'source="api"')).toBe(posts);
    expect(sample(text, 'hayon_deliveries', 'state="published"')).toBe(posts * 3);
    expect(sample(text, 'hayon_delivery_attempts_total', published)).toBeUndefined();
  });
});
