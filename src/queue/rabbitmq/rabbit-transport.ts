import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from '../../logger.js';
import type {
  Consumer,
  ConsumeOptions,
  MessageHandler,
  QueueAdmin,
  SendOptions,
  Transport,
  TransportMessage,
} from '../transport.js';
import { encode } from './messages.js';
import { rabbitQueueAdmin } from './queue-admin.js';
import { type ConsumerHost, RabbitConsumer } from './rabbit-consumer.js';
import { createRoutingKey, declareTopology, maxTierMs, type Names, names, tierFor } from './topology.js';

export interface RabbitTransportOptions {
  /** `amqp://user:pass@host:5672/vhost` */
  url: string;
  /** Put before every exchange and queue name (tests, benchmarks); default none. */
  prefix?: string;
  log?: Logger;
  /** Reconnect backoff: doubles from `min` up to `max`, each wait jittered down to half. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** How long one connection attempt may take. */
  connectTimeoutMs?: number;
}

type Defaulted = Required<Omit<RabbitTransportOptions, 'url' | 'log'>>;

const defaults = {
  prefix: '',
  reconnectMinMs: 200,
  reconnectMaxMs: 2_000,
  connectTimeoutMs: 5_000,
} as const satisfies Defaulted;

const persistent = { persistent: true, contentType: 'application/json' } as const;

/**
 * The RabbitMQ transport (amqplib): one connection per process, one confirm channel for sending,
 * one channel per consumer with prefetch = concurrency. The topology (topology.ts) is declared on
 * every connect.
 *
 * Outages: when the connection drops, consumers come back by themselves: a timer reconnects with
 * a capped, jittered exponential backoff, declares the topology again and re-attaches every
 * consumer with its handler. `send` never waits for that: it makes at most one connection attempt
 * when the backoff allows one and otherwise rejects at once. Its callers leave the delivery
 * `queued` in the store, and the sweeper sends it again later; nothing is buffered here.
 */
export class RabbitTransport implements Transport {
  /** 1 h, the last retry tier. */
  readonly maxDelayMs = maxTierMs;
  readonly names: Names;
  readonly admin: QueueAdmin;
  readonly #options: RabbitTransportOptions & Defaulted;
  readonly #host: ConsumerHost;
  readonly #consumers = new Set<RabbitConsumer>();
  #conn: ChannelModel | undefined;
  #connecting: Promise<ChannelModel> | undefined;
  #confirm: Promise<ConfirmChannel> | undefined;
  #failures = 0;
  #retryAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #closing = false;
  #closed = false;

  constructor(options: RabbitTransportOptions) {
    this.#options = { ...defaults, ...options };
    this.names = names(this.#options.prefix);
    this.admin = rabbitQueueAdmin({
      names: this.names,
      connection: () => this.connection(),
      send: (m) => this.send(m),
    });
    this.#host = {
      queue: this.names.mainQueue,
      log: options.log,
      deadLetter: (msg) => this.#deadLetter(msg),
      // A connection loss closes every consumer's channel too: one incident, one backoff step.
      channelLost: () => {
        if (!this.#timer) this.#backOff();
      },
      stopped: (c) => this.#consumers.delete(c),
    };
  }

  /**
   * Publishes the batch persistently and resolves once the broker confirmed every message: all
   * are published first, then one `waitForConfirms()` covers them (one round trip per batch).
   * With `delayMs`, the messages wait in the smallest retry tier at least that long, so they are
   * never early, and may be late by up to the gap to the next tier (3 s → 5 s, 40 s → 2 min).
   */
  async send(messages: TransportMessage[], options: SendOptions = {}): Promise<void> {
    if (messages.length === 0) return;
    const delay = options.delayMs ?? 0;
    const tier = delay > 0 ? tierFor(delay) : undefined;
    const ch = await this.#confirmChannel();
    // The ids travel in the body only: AMQP properties for them cost about 20% of the send rate.
    for (const m of messages) {
      if (tier) ch.publish(this.names.dlxExchange, tier.name, encode(m), persistent);
      else ch.publish(this.names.postExchange, createRoutingKey(m.platform), encode(m), persistent);
    }
    await confirmed(ch);
  }

  /** Publishes the message of a delivery whose attempts are spent to `hayon_parking_lot`. */
  async park(message: TransportMessage, reason: string): Promise<void> {
    const ch = await this.#confirmChannel();
    const headers = { 'x-hayon-reason': reason.slice(0, 500) };
    ch.sendToQueue(this.names.parkingLot, encode(message), { ...persistent, messageId: message.deliveryId, headers });
    await confirmed(ch);
  }

  async consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer> {
    const consumer = new RabbitConsumer(this.#host, handler, options.concurrency);
    this.#consumers.add(consumer);
    try {
      await consumer.attach(await this.connection());
    } catch (err) {
      this.#consumers.delete(consumer);
      await consumer.stop();
      throw err;
    }
    return consumer;
  }

  /** Stops every consumer (draining its handlers, which may still send), then disconnects for good. */
  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    await Promise.all([...this.#consumers].map((c) => c.stop()));
    this.#closed = true;
    await this.#connecting?.catch(() => {});
    const conn = this.#conn;
    this.#conn = undefined;
    this.#confirm = undefined;
    await conn?.close().catch(() => {});
  }

  /**
   * The live connection. Opens one (declaring the topology) if there is none and the backoff
   * allows an attempt; otherwise rejects at once.
   */
  connection(): Promise<ChannelModel> {
    return this.#connection(false);
  }

  /** `scheduled`: this is the attempt the backoff timer was waiting for. */
  async #connection(scheduled: boolean): Promise<ChannelModel> {
    if (this.#closed) throw new Error('the RabbitMQ transport is closed');
    if (this.#conn) return this.#conn;
    if (!this.#connecting) {
      const wait = this.#retryAt - Date.now();
      if (wait > 0 && !scheduled) throw new Error(`RabbitMQ is unreachable; next connection attempt in ${wait} ms`);
      this.#connecting = this.#open().finally(() => {
        this.#connecting = undefined;
      });
    }
    return this.#connecting;
  }

  async #open(): Promise<ChannelModel> {
    let conn: ChannelModel | undefined;
    try {
      conn = await amqp.connect(this.#options.url, { timeout: this.#options.connectTimeoutMs });
      const opened = conn;
      opened.on('error', (err) => this.#options.log?.warn({ err }, 'rabbitmq connection error'));
      opened.on('close', (err) => this.#onClose(opened, err));
      const ch = await opened.createChannel();
      await declareTopology(ch, this.names);
      await ch.close();
    } catch (err) {
      await conn?.close().catch(() => {});
      this.#backOff();
      throw err;
    }
    if (this.#closed) {
      await conn.close().catch(() => {});
      throw new Error('the RabbitMQ transport is closed');
    }
    this.#conn = conn;
    this.#failures = 0;
    this.#retryAt = 0;
    return conn;
  }

  #onClose(conn: ChannelModel, err: Error | undefined): void {
    if (this.#conn !== conn) return;
    this.#conn = undefined;
    this.#confirm = undefined;
    if (this.#closing) return;
    this.#options.log?.warn({ err }, 'rabbitmq connection lost; reconnecting');
    // A fresh incident: the first attempt comes soon (jittered, so that workers do not all
    // reconnect at the same instant), later ones back off.
    this.#failures = 0;
    this.#backOff();
  }

  /** Something failed: wait longer before the next attempt, and have consumers re-attached then. */
  #backOff(): void {
    this.#failures++;
    const { reconnectMinMs: min, reconnectMaxMs: max } = this.#options;
    const ceiling = Math.min(max, min * 2 ** Math.min(this.#failures - 1, 30));
    this.#retryAt = Date.now() + Math.round(ceiling * (0.5 + Math.random() * 0.5));
    this.#scheduleResume();
  }

  /** (Re)arms the timer for `#retryAt`, when there are consumers to bring back. */
  #scheduleResume(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#closing || this.#consumers.size === 0) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        void this.#resume();
      },
      Math.max(0, this.#retryAt - Date.now()),
    );
  }

  /** Reconnects if needed, declares the topology again, and attaches every consumer. */
  async #resume(): Promise<void> {
    try {
      const fresh = !this.#conn;
      const conn = await this.#connection(true);
      // A lost channel may mean a deleted queue; a fresh connection has just declared it all.
      if (!fresh) {
        const ch = await conn.createChannel();
        await declareTopology(ch, this.names);
        await ch.close();
      }
      for (const c of this.#consumers) await c.attach(conn);
      this.#failures = 0;
      this.#options.log?.info({ consumers: this.#consumers.size }, 'rabbitmq consumers resumed');
    } catch (err) {
      if (this.#closing) return;
      this.#options.log?.warn({ err }, 'rabbitmq resume failed; retrying');
      // A failed connection attempt or a lost connection has backed off already; else do here.
      if (!this.#timer) this.#backOff();
    }
  }

  #confirmChannel(): Promise<ConfirmChannel> {
    if (this.#confirm) return this.#confirm;
    const opening = (async () => {
      const ch = await (await this.connection()).createConfirmChannel();
      ch.on('error', (err) => this.#options.log?.warn({ err }, 'rabbitmq confirm channel error'));
      ch.on('close', () => {
        if (this.#confirm === opening) this.#confirm = undefined;
      });
      return ch;
    })();
    this.#confirm = opening;
    opening.catch(() => {
      if (this.#confirm === opening) this.#confirm = undefined;
    });
    return opening;
  }

  async #deadLetter(msg: ConsumeMessage): Promise<void> {
    const ch = await this.#confirmChannel();
    const headers = { ...msg.properties.headers, 'x-hayon-routing-key': msg.fields.routingKey };
    ch.sendToQueue(this.names.deadLetters, msg.content, { persistent: true, headers });
    await confirmed(ch);
  }
}

/** How long a batch may wait for the broker's confirms before it counts as not sent. */
const confirmTimeoutMs = 10_000;

/**
 * Waits for the channel's confirms, but not forever: when the broker goes away mid-wait the
 * confirms may never come, and a caller (the scheduler, the sweeper) must get its error and go
 * on. A batch that timed out may still have been delivered; the claim drops any duplicate.
 */
async function confirmed(ch: ConfirmChannel): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onClose: (() => void) | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no confirms from RabbitMQ in ${confirmTimeoutMs} ms`)),
      confirmTimeoutMs,
    );
    onClose = () => reject(new Error('the RabbitMQ channel closed before confirming'));
    ch.once('close', onClose);
  });
  try {
    await Promise.race([ch.waitForConfirms(), gaveUp]);
  } finally {
    clearTimeout(timer);
    if (onClose) ch.off('close', onClose);
  }
}
