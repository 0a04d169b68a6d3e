import { HayonError } from './errors.js';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (an API token id, a hook id), in this process's memory: each key may
 * make `perMinute` requests in a burst, refilled evenly over a minute. Several `serve`
 * processes each count their own (the README says so); a shared limit would cost a store write
 * per request.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Takes one request for `key`; throws a 429 `rate_limited` HayonError naming `field`, with
   * the seconds until the next request would pass, when the bucket is empty.
   */
  take(key: string, perMinute: number, field: string): void {
    const now = this.now();
    const perMs = perMinute / 60_000;
    const bucket = this.#buckets.get(key) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      const retryAfterSec = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      this.#buckets.set(key, bucket);
      const message = `Too many requests: at most ${perMinute} a minute. Try again in ${retryAfterSec} s.`;
      throw new HayonError('rate_limited', message, { field, userMessage: message, retryAfterSec });
    }
    bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 10_000) this.#prune(now);
  }

  /** Drops buckets idle for over a minute: they are full again, the same as no bucket. */
  #prune(now: number): void {
    for (const [key, bucket] of this.#buckets) if (now - bucket.at > 60_000) this.#buckets.delete(key);
  }
}
