import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from '../../logger.js';
import type { Consumer, MessageHandler } from '../transport.js';
import { decode } from './messages.js';

/** What a consumer needs from its transport. */
export interface ConsumerHost {
  readonly queue: string;
  readonly log: Logger | undefined;
  /** Publishes an unreadable message to the dead letters (resolves once confirmed). */
  deadLetter(msg: ConsumeMessage): Promise<void>;
  /** This consumer's channel is gone while it should be consuming: attach it again soon. */
  channelLost(): void;
  /** The consumer stopped for good. */
  stopped(consumer: RabbitConsumer): void;
}

/**
 * One consumer on the main queue, on a channel of its own with prefetch = concurrency.
 *
 * Ack semantics, chosen here: a message is acked after its handler settled, whether it resolved
 * or threw. The handler records the outcome in the store before it resolves, so an ack never
 * comes before the store knows. When the handler throws, the outcome could not be recorded (the
 * store is away, or a bug); requeueing would redeliver at once and spin in a hot loop for as long
 * as the cause lasts, on every worker. Dropping is safe instead: the delivery stays `queued` or
 * `publishing` in the store, and the sweeper sends it again after its threshold (and lets a lease
 * run out first). If the process dies before the ack, RabbitMQ redelivers the message, and the
 * store's claim drops the duplicate.
 *
 * When the channel or connection is lost, unacked messages go back to the queue on the broker's
 * side; their handlers still finish here (their acks then fail, harmlessly). The redelivered
 * copies wait for a free slot, so at most `concurrency` handlers ever run at once, even across a
 * reconnect, and the claim turns those copies into no-ops.
 */
export class RabbitConsumer implements Consumer {
  #channel: Channel | undefined;
  #conn: ChannelModel | undefined;
  #tag: string | undefined;
  #running = 0;
  #pending = 0;
  readonly #waiting: ((go: boolean) => void)[] = [];
  readonly #idle: (() => void)[] = [];
  #stopping: Promise<void> | undefined;
  #attaching: Promise<void> | undefined;

  constructor(
    private readonly host: ConsumerHost,
    private readonly handler: MessageHandler,
    private readonly concurrency: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError('concurrency must be a positive integer');
  }

  /** Consumes on `conn`, unless already consuming there (or on the way to) or stopped. */
  attach(conn: ChannelModel): Promise<void> {
    this.#attaching ??= this.#attach(conn).finally(() => {
      this.#attaching = undefined;
    });
    return this.#attaching;
  }

  async #attach(conn: ChannelModel): Promise<void> {
    if (this.#stopping || (this.#channel && this.#conn === conn)) return;
    const ch = await conn.createChannel();
    this.#channel = ch;
    this.#conn = conn;
    this.#tag = undefined;
    ch.on('error', (err) => this.host.log?.warn({ err }, 'rabbitmq consumer channel error'));
    ch.on('close', () => {
      if (this.#channel !== ch) return;
      this.#channel = undefined;
      if (!this.#stopping) this.host.channelLost();
    });
    await ch.prefetch(this.concurrency);
    const { consumerTag } = await ch.consume(this.host.queue, (msg) => {
      if (msg) void this.#handle(ch, msg);
      else {
        // The broker cancelled us (the queue was deleted): closing the channel makes the
        // transport declare the topology again and attach a new one.
        this.host.log?.warn('rabbitmq consumer cancelled by the broker');
        ch.close().catch(() => {});
      }
    });
    this.#tag = consumerTag;
    if (this.#stopping) await ch.close().catch(() => {});
  }

  async #handle(ch: Channel, msg: ConsumeMessage): Promise<void> {
    this.#pending++;
    try {
      // Stopped while waiting: left unacked, the broker requeues it when the channel closes.
      if (!(await this.#slot())) return;
      try {
        await this.#process(msg);
        ch.ack(msg);
      } finally {
        this.#release();
      }
    } catch (err) {
      // The channel closed under us (connection lost), or an unreadable message could not be
      // dead-lettered: left unacked, the broker redelivers it once this channel is gone.
      this.host.log?.warn({ err }, 'rabbitmq message not acked');
    } finally {
      this.#pending--;
      if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** Throws only when an unreadable message could not be dead-lettered: it stays unacked. */
  async #process(msg: ConsumeMessage): Promise<void> {
    const message = decode(msg.content);
    if (!message) {
      await this.host.deadLetter(msg);
      this.host.log?.warn({ bytes: msg.content.length }, 'unreadable message moved to the dead letters');
      return;
    }
    try {
      await this.handler(message);
    } catch (err) {
      // Acked anyway (see the class comment): the store and the sweeper recover the delivery.
      this.host.log?.warn({ err, deliveryId: message.deliveryId }, 'message handler failed; message dropped');
    }
  }

  #slot(): Promise<boolean> | boolean {
    if (this.#stopping) return false;
    if (this.#running < this.concurrency) {
      this.#running++;
      return true;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next(true);
    else this.#running--;
  }

  /** Cancels the subscription (no new messages), waits for the handlers in flight, closes. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    for (const resolve of this.#waiting.splice(0)) resolve(false);
    const ch = this.#channel;
    if (ch && this.#tag) await ch.cancel(this.#tag).catch(() => {});
    if (this.#pending > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    this.#channel = undefined;
    await ch?.close().catch(() => {});
    this.host.stopped(this);
  }
}
