import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
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
import { decode, encode } from './messages.js';
import { declareTopology, type Names, names, retryTiers, tierFor } from './topology.js';

export interface RabbitTransportOptions {
  /** `amqp://user:pass@host:5672/vhost` */
  url: string;
  /** Put before every exchange and queue name (tests); default none. */
  prefix?: string;
  log?: Logger;
  /** Reconnect backoff, doubling from `min` to `max` (jittered). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

/**
 * The RabbitMQ transport (amqplib). One connection per process; a confirm channel for sending,
 * and one channel per consumer with prefetch = concurrency.
 *
 * When the connection drops, `send` rejects at once (its callers leave the delivery `queued` in
 * the store, and the sweeper sends it again later: nothing is buffered here), while consumers
 * reconnect with a capped, jittered backoff, declare the topology again and resume.
 */
export class RabbitTransport implements Transport {
  readonly maxDelayMs = retryTiers[retryTiers.length - 1]!.ms;
  readonly names: Names;
  readonly admin: QueueAdmin;
  #connection: ChannelModel | undefined;
  #confirm: ConfirmChannel | undefined;
  #connecting: Promise<ChannelModel> | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #consumers = new Set<RabbitConsumer>();

  constructor(private readonly options: RabbitTransportOptions) {
    this.names = names(options.prefix);
    this.admin = {
      counts: () => this.#counts(),
      replayParked: (limit, revive) => this.#replayParked(limit, revive),
    };
  }

  async send(messages: TransportMessage[], options: SendOptions = {}): Promise<void> {
    if (messages.length === 0) return;
    const ch = await this.#confirmChannel();
    const delay = options.delayMs ?? 0;
    for (const m of messages) {
      const body = encode(m);
      const props = { persistent: true, contentType: 'application/json', messageId: m.deliveryId };
      if (delay > 0) ch.publish(this.names.dlxExchange, tierFor(delay).name, body, props);
      else ch.publish(this.names.postExchange, `post.create.${m.platform}`, body, props);
    }
    // One round trip for the whole batch: publish all, then wait for every confirm.
    await confirmed(ch);
  }

  async park(message: TransportMessage, reason: string): Promise<void> {
    const ch = await this.#confirmChannel();
    ch.sendToQueue(this.names.parkingLot, encode(message), {
      persistent: true,
      contentType: 'application/json',
      headers: { 'x-hayon-reason': reason.slice(0, 500) },
    });
    await confirmed(ch);
  }

  async consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer> {
    const consumer = new RabbitConsumer(this, handler, options.concurrency, () => this.#consumers.delete(consumer));
    this.#consumers.add(consumer);
    await consumer.attach(await this.connection());
    return consumer;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    await Promise.all([...this.#consumers].map((c) => c.stop()));
    const conn = this.#connection;
    this.#connection = undefined;
    this.#confirm = undefined;
    await conn?.close().catch(() => {});
  }

  /** The live connection, opening one (and declaring the topology) if there is none. */
  async connection(): Promise<ChannelModel> {
    if (this.#closed) throw new Error('the RabbitMQ transport is closed');
    if (this.#connection) return this.#connection;
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  get log(): Logger | undefined {
    return this.options.log;
  }

  async #open(): Promise<ChannelModel> {
    const conn = await amqp.connect(this.options.url, { timeout: 5_000 });
    conn.on('error', (err) => this.options.log?.warn({ err }, 'rabbitmq connection error'));
    conn.on('close', () => this.#onClose(conn));
    const ch = await conn.createChannel();
    await declareTopology(ch, this.names);
    await ch.close();
    this.#connection = conn;
    return conn;
  }

  #onClose(conn: ChannelModel): void {
    if (this.#connection !== conn) return;
    this.#connection = undefined;
    this.#confirm = undefined;
    if (this.#closed) return;
    this.options.log?.warn('rabbitmq connection lost; reconnecting');
    this.#scheduleReconnect(this.options.reconnectMinMs ?? 200);
  }

  #scheduleReconnect(delayMs: number): void {
    if (this.#closed || this.#consumers.size === 0) return;
    const max = this.options.reconnectMaxMs ?? 10_000;
    const jittered = delayMs * (0.8 + Math.random() * 0.4);
    this.#reconnectTimer = setTimeout(async () => {
      try {
        const conn = await this.connection();
        for (const c of this.#consumers) await c.attach(conn);
        this.options.log?.info('rabbitmq reconnected; consumers resumed');
      } catch (err) {
        this.options.log?.warn({ err, retryInMs: Math.min(max, delayMs * 2) }, 'rabbitmq reconnect failed');
        this.#scheduleReconnect(Math.min(max, delayMs * 2));
      }
    }, jittered);
  }

  async #confirmChannel(): Promise<ConfirmChannel> {
    if (this.#confirm) return this.#confirm;
    const conn = await this.connection();
    const ch = await conn.createConfirmChannel();
    ch.on('error', (err) => this.options.log?.warn({ err }, 'rabbitmq channel error'));
    ch.on('close', () => {
      if (this.#confirm === ch) this.#confirm = undefined;
    });
    this.#confirm = ch;
    return ch;
  }

  async #counts(): Promise<Record<string, number>> {
    const conn = await this.connection();
    const ch = await conn.createChannel();
    try {
      const n = this.names;
      const queues = [n.mainQueue, ...retryTiers.map((t) => n.retryQueue(t)), n.parkingLot, n.deadLetters];
      const out: Record<string, number> = {};
      for (const q of queues) out[q] = (await ch.checkQueue(q)).messageCount;
      return out;
    } finally {
      await ch.close().catch(() => {});
    }
  }

  async #replayParked(limit: number, revive: (m: TransportMessage) => Promise<boolean>) {
    const conn = await this.connection();
    const ch = await conn.createChannel();
    let replayed = 0;
    let dropped = 0;
    try {
      for (let i = 0; i < limit; i++) {
        const got = await ch.get(this.names.parkingLot, { noAck: false });
        if (!got) break;
        const message = decode(got.content);
        if (message && (await revive(message))) {
          await this.send([message]);
          replayed++;
        } else dropped++;
        // Acked only after the resend was confirmed: a crash in between leaves it parked.
        ch.ack(got);
      }
    } finally {
      await ch.close().catch(() => {});
    }
    return { replayed, dropped };
  }

  /** For the consumer: sends an unreadable message to the dead letters. */
  async deadLetter(msg: ConsumeMessage): Promise<void> {
    const ch = await this.#confirmChannel();
    ch.sendToQueue(this.names.deadLetters, msg.content, { persistent: true, headers: msg.properties.headers ?? {} });
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

/**
 * One consumer on the main queue. Ack semantics, chosen here: a message is acked after its
 * handler settled, whether it resolved or threw. The handler records the outcome in the store
 * before it resolves; when it throws, the outcome could not be recorded, and requeueing would
 * risk a hot loop on a broken store. Dropping is safe: the delivery stays `queued` or
 * `publishing` in the store, and the sweeper sends it again. If the process dies before the ack,
 * RabbitMQ redelivers, and the claim drops the duplicate.
 */
class RabbitConsumer implements Consumer {
  #channel: Channel | undefined;
  #tag: string | undefined;
  #inFlight = 0;
  #stopped = false;
  readonly #idle: (() => void)[] = [];

  constructor(
    private readonly transport: RabbitTransport,
    private readonly handler: MessageHandler,
    private readonly concurrency: number,
    private readonly onStopped: () => void,
  ) {}

  async attach(conn: ChannelModel): Promise<void> {
    if (this.#stopped) return;
    const ch = await conn.createChannel();
    ch.on('error', (err) => this.transport.log?.warn({ err }, 'rabbitmq consumer channel error'));
    await ch.prefetch(this.concurrency);
    this.#channel = ch;
    const { consumerTag } = await ch.consume(this.transport.names.mainQueue, (msg) => {
      if (msg) void this.#handle(ch, msg);
    });
    this.#tag = consumerTag;
  }

  async #handle(ch: Channel, msg: ConsumeMessage): Promise<void> {
    this.#inFlight++;
    try {
      const message = decode(msg.content);
      if (!message) await this.transport.deadLetter(msg);
      else await this.handler(message).catch(() => {});
      ch.ack(msg);
    } catch (err) {
      // The channel closed under us (connection lost): the broker requeues the message itself.
      this.transport.log?.warn({ err }, 'rabbitmq ack failed');
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const ch = this.#channel;
    if (ch && this.#tag) await ch.cancel(this.#tag).catch(() => {});
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await ch?.close().catch(() => {});
    this.onStopped();
  }
}
