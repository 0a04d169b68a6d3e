import type { Clock } from '../core/clock.js';
import type { Logger } from '../logger.js';
import type { DeliveryStore } from '../store/ports/delivery-store.js';
import type { PostStore } from '../store/ports/post-store.js';
import { sendPatiently } from '../queue/send-patiently.js';
import type { Transport, TransportMessage } from '../queue/transport.js';
import { messagesFor } from './messages.js';
import { timeBound } from './time-bound.js';

/** A pass that has not finished by then is abandoned (and logged); the next one starts afresh. */
const passTimeoutMs = 60_000;

export interface SchedulerOptions {
  /** Longest wait between two looks at the store (other processes may add due work). */
  pollIntervalMs: number;
  /** Deliveries moved to the queue per store call. */
  batchSize: number;
  /**
   * How far ahead of its due time a delivery is taken and sent, with its due time as the
   * message's `notBefore`: the store and broker round trips happen before it is due, and the
   * worker claims it on time. With MongoDB (FerretDB then) and RabbitMQ they took 30–100 ms.
   */
  leadMs: number;
  /**
   * How long the send of deliveries already moved to `queued` is tried again (the broker may be
   * reconnecting, the store's read of their correlation ids may fail) before they are left to the
   * sweeper, which waits `strandedAfterMs` or longer.
   */
  sendRetryMs: number;
}

export const defaultSchedulerOptions = {
  pollIntervalMs: 1_000,
  batchSize: 500,
  leadMs: 250,
  sendRetryMs: 30_000,
} as const satisfies Required<SchedulerOptions>;

export interface SchedulerDeps {
  /** Due deliveries moved to `queued`, and the correlation ids their messages carry. */
  store: DeliveryStore & PostStore;
  transport: Transport;
  clock: Clock;
  log: Logger;
}

/**
 * Moves due deliveries from the store to the transport. It sleeps until the earliest due
 * delivery (a precise timer) or `pollIntervalMs`, whichever comes first, and `wake(at)` pulls the
 * timer in when something earlier is created in this process. `takeDue` is an atomic move to
 * `queued`, so several schedulers can run against one store without sending a delivery twice.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  /** Set by stop(): a send being tried again gives up. (`#stopped` is also true before start().) */
  #stopping = false;
  readonly #dispatching: TransportMessage[] = [];
  #dispatch: Promise<void> | undefined;

  constructor(
    private readonly deps: SchedulerDeps,
    options: Partial<SchedulerOptions> = {},
  ) {
    this.#options = { ...defaultSchedulerOptions, ...options };
  }

  start(): void {
    this.#stopped = false;
    this.#stopping = false;
    this.wake(this.deps.clock());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping = true;
    await this.#dispatch;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Something becomes due at `at`: make sure we look then. */
  wake(at: number): void {
    if (this.#stopped) return;
    if (this.#running) {
      // A pass is under way; it reads nextDueAt when it ends, but may have read it already.
      if (at - this.#options.leadMs <= this.deps.clock()) this.#again = true;
      else if (at < this.#timerAt) this.#arm(at);
      return;
    }
    if (at < this.#timerAt) this.#arm(at);
  }

  /**
   * Sends deliveries just created and due now, without a search of the store: they are moved to
   * `queued` by id and their messages sent, batched with others arriving meanwhile. When the store
   * call fails they stay `scheduled` for the next pass; a refused send is tried again (`#send`),
   * and past `sendRetryMs` the sweeper sends them as it does any lost message. Before `start()` (a
   * CLI process) it does nothing: the
   * running server's scheduler finds them.
   */
  dispatch(messages: readonly TransportMessage[]): void {
    if (this.#stopped) return;
    this.#dispatching.push(...messages);
    this.#dispatch ??= this.#drainDispatch().finally(() => {
      this.#dispatch = undefined;
    });
  }

  async #drainDispatch(): Promise<void> {
    const { store, clock, log } = this.deps;
    while (this.#dispatching.length > 0) {
      const batch = this.#dispatching.splice(0, this.#options.batchSize);
      try {
        const taken = new Set(
          (
            await timeBound(
              store.takeDueByIds(
                batch.map((m) => m.deliveryId),
                clock(),
              ),
              passTimeoutMs,
              'a dispatch',
            )
          ).map((d) => d.id),
        );
        const messages = batch.filter((m) => taken.has(m.deliveryId));
        await timeBound(
          this.#send(taken.size, async () => messages),
          passTimeoutMs,
          'a dispatch',
        );
      } catch (err) {
        log.warn({ err }, 'dispatch failed; the scheduler will find these deliveries');
        this.wake(clock());
      }
    }
  }

  /** One pass: queue everything due now or within `leadMs`. Returns how many deliveries it queued. */
  async runOnce(): Promise<number> {
    const { store, clock } = this.deps;
    let total = 0;
    for (;;) {
      const now = clock();
      const due = await store.takeDue(now + this.#options.leadMs, this.#options.batchSize);
      if (due.length === 0) break;
      total += due.length;
      await this.#send(due.length, () => messagesFor(due, (ids) => store.correlationIds(ids), now));
      if (due.length < this.#options.batchSize) break;
    }
    return total;
  }

  /** Sends the messages of `count` deliveries already `queued`, trying again while refused (`sendPatiently`). */
  async #send(count: number, build: () => Promise<TransportMessage[]>): Promise<void> {
    if (count === 0) return;
    await sendPatiently(this.deps.transport, build, {
      retryMs: this.#options.sendRetryMs,
      stopping: () => this.#stopping,
      log: this.deps.log,
    });
  }

  /** Looks at `at` minus the lead. */
  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, at - this.#options.leadMs - this.deps.clock()));
  }

  #tick(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
    });
  }

  async #pass(): Promise<void> {
    const { store, clock, log } = this.deps;
    let next = clock() + this.#options.pollIntervalMs;
    try {
      do {
        this.#again = false;
        const queued = await timeBound(this.runOnce(), passTimeoutMs, 'a scheduler pass');
        if (queued > 0) log.debug({ queued }, 'due deliveries queued');
      } while (this.#again && !this.#stopped);
      const nextDue = await store.nextDueAt();
      if (nextDue !== null) next = Math.min(next, nextDue);
    } catch (err) {
      // The store or transport is away; try again at the next poll. Nothing is lost: the
      // deliveries stay `scheduled` (or `queued`, for the sweeper) in the store.
      log.warn({ err }, 'scheduler pass failed');
    }
    if (!this.#stopped && !this.#timer) this.#arm(next);
    else if (!this.#stopped && next < this.#timerAt) this.#arm(next);
  }
}
