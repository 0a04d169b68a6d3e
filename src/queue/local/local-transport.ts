import type { Consumer, ConsumeOptions, MessageHandler, Transport, TransportMessage } from '../transport.js';

/**
 * The embedded transport: an in-memory FIFO inside the one `hayon serve` process.
 *
 * Ack semantics: a message is gone once handed to the handler, whatever the handler does. That
 * is safe because the store is the truth: a delivery whose message is lost (a crash, a handler
 * that threw) stays `queued` or `publishing` in the store, and the sweeper sends it again.
 * Delays are not supported (`maxDelayMs` 0): retries wait in the store's scheduler instead.
 */
export class LocalTransport implements Transport {
  readonly maxDelayMs = 0;
  readonly #queue: TransportMessage[] = [];
  #consumer: LocalConsumer | undefined;

  async send(messages: TransportMessage[]): Promise<void> {
    this.#queue.push(...messages);
    this.#consumer?.pump();
  }

  async consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer> {
    if (this.#consumer) throw new Error('the local transport has one consumer per process');
    const consumer = new LocalConsumer(this.#queue, handler, options.concurrency, () => {
      this.#consumer = undefined;
    });
    this.#consumer = consumer;
    consumer.pump();
    return consumer;
  }

  /** Messages waiting for a free slot (for status and tests). */
  get depth(): number {
    return this.#queue.length;
  }

  async close(): Promise<void> {
    await this.#consumer?.stop();
  }
}

class LocalConsumer implements Consumer {
  #running = 0;
  #stopped = false;
  readonly #idle: (() => void)[] = [];

  constructor(
    private readonly queue: TransportMessage[],
    private readonly handler: MessageHandler,
    private readonly concurrency: number,
    private readonly onStopped: () => void,
  ) {}

  pump(): void {
    while (!this.#stopped && this.#running < this.concurrency && this.queue.length > 0) {
      const message = this.queue.shift()!;
      this.#running++;
      this.handler(message)
        .catch(() => {
          // The handler logs its own failures; the sweeper recovers the delivery.
        })
        .finally(() => {
          this.#running--;
          if (this.#running === 0) for (const resolve of this.#idle.splice(0)) resolve();
          this.pump();
        });
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#running > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    this.onStopped();
  }
}
