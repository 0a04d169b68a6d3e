import type { Clock } from '../core/clock.js';
import type { Delivery } from '../core/post.js';
import type { Logger } from '../logger.js';
import type { Transport } from '../queue/transport.js';
import type { DeliveryStore } from '../store/ports/delivery-store.js';
import type { PostStore } from '../store/ports/post-store.js';
import { messagesFor } from './messages.js';
import { timeBound } from './time-bound.js';

export interface SweeperOptions {
  intervalMs: number;
  /** A `queued` delivery this long past due is taken as stranded (its message lost). */
  strandedAfterMs: number;
  /**
   * The same while the broker still has messages waiting for workers: a delivery that long past
   * due is probably still in that queue, and resending a whole backlog would double it.
   */
  strandedWhileBusyAfterMs: number;
  batchSize: number;
}

export const defaultSweeperOptions = {
  intervalMs: 10_000,
  strandedAfterMs: 60_000,
  strandedWhileBusyAfterMs: 600_000,
  batchSize: 500,
} as const satisfies Required<SweeperOptions>;

/**
 * Finds work that fell between the cracks and sends it again:
 * - `publishing` deliveries whose lease ran out (the worker died mid-call) become `unknown`, so
 *   that the next attempt reconciles with the platform before publishing;
 * - `queued`/`unknown` deliveries long past due (a message lost between store and transport),
 *   each at most once per `strandedAfterMs` (takeStranded moves its due time to now), and
 *   while the broker has a backlog only after `strandedWhileBusyAfterMs`.
 * A message too many is harmless: the claim lets only one attempt through.
 */
export class Sweeper {
  readonly #options: SweeperOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #strandedSearchedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: { store: DeliveryStore & PostStore; transport: Transport; clock: Clock; log: Logger },
    options: Partial<SweeperOptions> = {},
  ) {
    this.#options = { ...defaultSweeperOptions, ...options };
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = timeBound(this.sweep(), Math.max(30_000, this.#options.intervalMs * 3), 'a sweep')
        .catch((err) => this.deps.log.warn({ err }, 'sweep failed'))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  async sweep(): Promise<{ expired: number; stranded: number }> {
    const { store, clock, log } = this.deps;
    const now = clock();
    // Lapsed leases first, and sent at once: a worker just died, its deliveries should not wait
    // for the slower search below.
    const expired = await store.expireLeases(now, this.#options.batchSize);
    await this.#send(expired);
    const seen = new Set(expired.map((d) => d.id));
    const stranded = (await this.#takeStranded(now)).filter((d) => !seen.has(d.id));
    await this.#send(stranded);
    if (expired.length + stranded.length > 0) {
      log.info({ expired: expired.length, stranded: stranded.length }, 'swept deliveries requeued');
    }
    return { expired: expired.length, stranded: stranded.length };
  }

  /**
   * Sends every `queued` delivery again at once, however recently due. For a transport that lives
   * in process memory, at start: the last process's queue died with it, so each of these lost its
   * message, and the stranded search would hold them back `strandedAfterMs`. Returns how many.
   */
  async requeueQueued(): Promise<number> {
    const now = this.deps.clock();
    let total = 0;
    for (;;) {
      // Taken ones get due_at = now, which `< now` does not match again.
      const lost = await this.deps.store.takeStranded('queued', now, now, this.#options.batchSize);
      await this.#send(lost);
      total += lost.length;
      if (lost.length < this.#options.batchSize) return total;
    }
  }

  /** In chunks: should the sweep be cut short (a slow store), what was found so far is sent. */
  async #send(deliveries: Delivery[]): Promise<void> {
    const { store, transport } = this.deps;
    for (let i = 0; i < deliveries.length; i += 100) {
      const chunk = deliveries.slice(i, i + 100);
      await transport.send(await messagesFor(chunk, (ids) => store.correlationIds(ids)));
    }
  }

  /**
   * Lost messages are rare and may wait minutes, so this search (a scan of the queued deliveries
   * on some servers) runs at most every quarter of `strandedAfterMs`, unless the last one filled
   * a whole batch; lapsed leases are looked for on every sweep.
   */
  async #takeStranded(now: number) {
    const { store, transport } = this.deps;
    const { strandedAfterMs, strandedWhileBusyAfterMs, batchSize } = this.#options;
    if (now - this.#strandedSearchedAt < strandedAfterMs / 4) return [];
    const busy = ((await transport.admin?.backlog().catch(() => 0)) ?? 0) > 0;
    // `unknown` ones come only from lapsed leases, sent at once: few, so the busy rule is not for them.
    const unknown = await store.takeStranded('unknown', now - strandedAfterMs, now, batchSize);
    const queued = await store.takeStranded(
      'queued',
      now - (busy ? strandedWhileBusyAfterMs : strandedAfterMs),
      now,
      batchSize,
    );
    const full = unknown.length === batchSize || queued.length === batchSize;
    this.#strandedSearchedAt = full ? Number.NEGATIVE_INFINITY : now;
    return [...unknown, ...queued];
  }
}
