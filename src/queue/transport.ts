import type { PlatformId } from '../core/post.js';

/**
 * A queue message says only "look at delivery X"; the worker reloads everything from the store.
 * Tagged by `kind` and versioned by `v`: a V2 goes beside V1 so old and new workers can run
 * together during a deploy.
 */
export interface DeliveryMessageV1 {
  kind: 'delivery';
  v: 1;
  deliveryId: string;
  postId: string;
  platform: PlatformId;
  correlationId: string;
  /**
   * The delivery's due time (ms since the epoch) when the scheduler sent it ahead of it (its
   * `leadMs`): the worker waits until then before it claims. Absent: claim now. Optional, so
   * that workers from before it still read the message (they claim at once, are refused as not
   * yet due, and the sweeper sends it again).
   */
  notBefore?: number;
}

export type TransportMessage = DeliveryMessageV1;

export interface SendOptions {
  /** Deliver after this many milliseconds; must not exceed the transport's `maxDelayMs`. */
  delayMs?: number;
}

/**
 * Handles one message. Resolving acknowledges it. Throwing means "could not record the outcome":
 * the transport may redeliver or drop it; either is safe because the store decides (the claim),
 * and the sweeper finds anything left behind.
 */
export type MessageHandler = (message: TransportMessage) => Promise<void>;

export interface ConsumeOptions {
  /** How many messages are handled at once. */
  concurrency: number;
}

export interface Consumer {
  /** Stops taking new messages, waits for those in hand, then detaches. */
  stop(): Promise<void>;
}

/** What a broker with queues of its own can show and do (`hayon queue status|replay-parked`). */
export interface QueueAdmin {
  /** Messages waiting per queue, by queue name. */
  counts(): Promise<Record<string, number>>;
  /** Messages ready for workers now (the main queue), without those delayed, parked or dead. */
  backlog(): Promise<number>;
  /**
   * Takes up to `limit` messages from the parking lot; each one that `revive` accepts (the store
   * moved its delivery back to `queued`) is sent again, the others are dropped.
   */
  replayParked(
    limit: number,
    revive: (m: TransportMessage) => Promise<boolean>,
  ): Promise<{ replayed: number; dropped: number }>;
}

/** The Transport port: carries delivery messages from the scheduler/API to workers. */
export interface Transport {
  /** The longest delay `send` accepts; longer waits belong to the store's scheduler. 0: none. */
  readonly maxDelayMs: number;
  send(messages: TransportMessage[], options?: SendOptions): Promise<void>;
  consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer>;
  /** Keeps the message of a delivery whose attempts are spent where an operator can see it. */
  park?(message: TransportMessage, reason: string): Promise<void>;
  readonly admin?: QueueAdmin;
  close(): Promise<void>;
}
