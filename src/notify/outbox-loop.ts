import type { Clock } from '../core/clock.js';
import { patiently } from '../core/patiently.js';
import type { Logger } from '../logger.js';

export interface OutboxLoopOptions {
  /** How often the outbox is looked at when nothing woke the loop. */
  pollMs: number;
  /** How long a taken item is ours; a sender that dies loses it to another after this. */
  leaseMs: number;
  /** Items sent at once. */
  concurrency: number;
}

export interface OutboxLoopDeps<T> {
  clock: Clock;
  log: Logger;
  /** Atomically takes due items under a lease (several processes may run the loop). */
  take(now: number, leaseUntil: number, limit: number): Promise<T[]>;
  /** Sends one item and records its outcome; never throws for the item's own failure. */
  send(item: T): Promise<void>;
  /** The earliest due time among waiting items, or null. */
  nextDueAt(): Promise<number | null>;
  /** Names the outbox in the log line when it cannot be read. */
  name: string;
}

/**
 * The loop of a store outbox (callbacks, chat messages): woken when an item is stored, polling
 * otherwise, taking due items in batches and sending them; a retry due before the next poll gets
 * its own timer. A store that cannot be read is logged and tried again at the next poll.
 */
export class OutboxLoop<T> {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(
    private readonly deps: OutboxLoopDeps<T>,
    private readonly options: OutboxLoopOptions,
  ) {}

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Whether stop() was called: a sender stops waiting on the store. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Look at the outbox now (an item was just stored). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        this.wake();
      } else {
        this.#timer = setTimeout(() => this.wake(), this.options.pollMs).unref();
      }
    });
  }

  async #run(): Promise<void> {
    const { clock, log } = this.deps;
    try {
      for (;;) {
        const now = clock();
        const batch = await this.deps.take(now, now + this.options.leaseMs, this.options.concurrency);
        await Promise.all(batch.map((item) => this.deps.send(item)));
        if (batch.length < this.options.concurrency || this.#stopped) break;
      }
      const next = await this.deps.nextDueAt();
      const wait = next === null ? Number.POSITIVE_INFINITY : next - clock();
      if (wait < this.options.pollMs) setTimeout(() => this.wake(), Math.max(wait, 10)).unref();
    } catch (err) {
      log.warn({ err }, `${this.deps.name} outbox could not be read`);
    }
  }
}

/** Where a sender's loop takes its items from (its store's outbox). */
export type OutboxSource<T> = Omit<OutboxLoopDeps<T>, 'send'>;

/**
 * A sender of one store outbox: runs the shared loop and sends each taken item with `send`.
 */
export abstract class OutboxSender<T> {
  readonly #loop: OutboxLoop<T>;

  protected constructor(source: OutboxSource<T>, options: OutboxLoopOptions) {
    this.#loop = new OutboxLoop({ ...source, send: (item) => this.send(item) }, options);
  }

  start(): void {
    this.#loop.start();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Look at the outbox now (an item was just stored). */
  wake(): void {
    this.#loop.wake();
  }

  /**
   * Writes an item's outcome, tried again for 30 s while the store is away (until the sender
   * stops): an item sent but left `sending` would be sent again once its lease ran out.
   */
  protected recordOutcome(write: () => Promise<void>): Promise<void> {
    return patiently(write, { retryMs: 30_000, stopping: () => this.#loop.stopped });
  }

  /** Sends one item and records its outcome; never throws for the item's own failure. */
  protected abstract send(item: T): Promise<void>;
}
