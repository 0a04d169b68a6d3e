import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.js';

/** What the worker and posts.create report; the HTTP app serves it as Prometheus text. */
export interface MetricsSink {
  postCreated(source: string): void;
  /**
   * One attempt: its outcome, how long the platform call took, and how late it started after its
   * due time. A `held` attempt made no platform call (pacing, a reconnect): counted, not timed.
   */
  attempt(
    platform: string,
    outcome: 'published' | 'retrying' | 'held' | 'failed',
    seconds: number,
    latenessSeconds: number,
  ): void;
}

/**
 * Prometheus metrics (prom-client), one registry per AppContext (tests run many side by side).
 * Counts per process; the delivery and queue gauges are read from the store and the broker at
 * each scrape, so every process reports the same totals for them.
 */
export class Metrics implements MetricsSink {
  readonly registry = new Registry();
  readonly #posts: Counter<'source'>;
  readonly #deliveries: Counter<'platform' | 'outcome'>;
  readonly #duration: Histogram<'platform'>;
  readonly #lateness: Histogram;

  constructor(deps: { store: Store; queues?: (() => Promise<Record<string, number>>) | undefined }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'hayon_' });
    this.#posts = new Counter({
      name: 'hayon_posts_created_total',
      help: 'Posts created, by the way they came in (api, cli, slack, discord, webhook).',
      labelNames: ['source'],
      registers,
    });
    this.#deliveries = new Counter({
      name: 'hayon_delivery_attempts_total',
      help: 'Delivery attempts by platform and outcome (published, retrying, held, failed).',
      labelNames: ['platform', 'outcome'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'hayon_delivery_attempt_seconds',
      help: 'How long one attempt took, by platform.',
      labelNames: ['platform'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.#lateness = new Histogram({
      name: 'hayon_scheduler_lateness_seconds',
      help: 'How long after its due time an attempt started.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    });
    new Gauge({
      name: 'hayon_deliveries',
      help: 'Deliveries in the store, by state (scheduled, queued, publishing, published, failed, unknown, cancelled).',
      labelNames: ['state'],
      registers,
      async collect() {
        const counts = await deps.store.countDeliveries();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    const queues = deps.queues;
    if (queues) {
      new Gauge({
        name: 'hayon_queue_messages',
        help: 'Messages waiting in the broker, by queue (main, retry tiers, parking lot, dead letters).',
        labelNames: ['queue'],
        registers,
        async collect() {
          for (const [queue, n] of Object.entries(await queues())) this.set({ queue }, n);
        },
      });
    }
  }

  postCreated(source: string): void {
    this.#posts.inc({ source });
  }

  attempt(
    platform: string,
    outcome: 'published' | 'retrying' | 'held' | 'failed',
    seconds: number,
    latenessSeconds: number,
  ): void {
    this.#deliveries.inc({ platform, outcome });
    if (outcome === 'held') return;
    this.#duration.observe({ platform }, seconds);
    this.#lateness.observe(Math.max(0, latenessSeconds));
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
