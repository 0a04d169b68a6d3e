import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryStore } from '../store/ports/delivery-store.js';

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
 * Prometheus metrics (prom-client), registries per AppContext (tests run many side by side).
 * `local`: what this process counted (posts, attempts, their durations and lateness) and its
 * process metrics. `shared`: the delivery and queue gauges, read from the store and the broker at
 * each scrape, the same from every process; `hayon worker` leaves them out (`text({shared:false})`)
 * so that N workers do not read the store N times a scrape for one answer.
 */
export class Metrics implements MetricsSink {
  readonly #local = new Registry();
  readonly #shared = new Registry();
  readonly #posts: Counter<'source'>;
  readonly #deliveries: Counter<'platform' | 'outcome'>;
  readonly #duration: Histogram<'platform'>;
  readonly #lateness: Histogram;

  constructor(deps: {
    store: DeliveryStore;
    queues?: (() => Promise<Record<string, number>>) | undefined;
    now?: () => number;
  }) {
    const registers = [this.#local];
    collectDefaultMetrics({ register: this.#local, prefix: 'hayon_' });
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
    const shared = [this.#shared];
    new Gauge({
      name: 'hayon_deliveries',
      help: 'Deliveries in the store, by state (scheduled, queued, publishing, published, failed, unknown, cancelled).',
      labelNames: ['state'],
      registers: shared,
      async collect() {
        const counts = await deps.store.countDeliveries();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    // One breakdown read per scrape serves both gauges below.
    let read: { at: number; rows: ReturnType<DeliveryStore['deliveryBreakdown']> } | undefined;
    const breakdown = () => {
      const at = Date.now();
      if (!read || at - read.at > 1000) read = { at, rows: deps.store.deliveryBreakdown() };
      return read.rows;
    };
    new Gauge({
      name: 'hayon_platform_deliveries',
      help: 'Deliveries in the store by platform and state; `parked`: failed after spending their attempts, kept for a replay.',
      labelNames: ['platform', 'state'],
      registers: shared,
      async collect() {
        this.reset();
        for (const r of await breakdown()) this.set({ platform: r.platform, state: r.state }, r.count);
      },
    });
    const now = deps.now ?? Date.now;
    new Gauge({
      name: 'hayon_oldest_waiting_seconds',
      help: 'By platform: how long past its due time the longest-waiting queued or in-flight delivery is (0: none). Alert on it: posts stuck in a queue.',
      labelNames: ['platform'],
      registers: shared,
      async collect() {
        this.reset();
        const oldest = new Map<string, number>();
        for (const r of await breakdown()) {
          if (!['queued', 'publishing', 'unknown'].includes(r.state)) continue;
          const at = r.oldestDueAt ?? Number.POSITIVE_INFINITY;
          oldest.set(r.platform, Math.min(oldest.get(r.platform) ?? Number.POSITIVE_INFINITY, at));
        }
        for (const [platform, at] of oldest) this.set({ platform }, Math.max(0, (now() - at) / 1000));
      },
    });
    const queues = deps.queues;
    if (queues) {
      new Gauge({
        name: 'hayon_queue_messages',
        help: 'Messages waiting in the broker, by queue (main, retry tiers, parking lot, dead letters).',
        labelNames: ['queue'],
        registers: shared,
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

  /** The Prometheus text exposition: this process's metrics, and the shared gauges unless told not to. */
  async text(options: { shared?: boolean } = {}): Promise<string> {
    const local = await this.#local.metrics();
    return options.shared === false ? local : `${local}\n${await this.#shared.metrics()}`;
  }

  get contentType(): string {
    return this.#local.contentType;
  }
}
