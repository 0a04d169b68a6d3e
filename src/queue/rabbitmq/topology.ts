import type { Channel } from 'amqplib';

/** The delay tiers: a retry waits in the smallest tier at least as long as asked. */
export const retryTiers = [
  { name: '5s', ms: 5_000 },
  { name: '30s', ms: 30_000 },
  { name: '2m', ms: 120_000 },
  { name: '10m', ms: 600_000 },
  { name: '1h', ms: 3_600_000 },
] as const;

export type RetryTier = (typeof retryTiers)[number];

/** The longest delay a tier carries; longer waits belong to the store's scheduler. */
export const maxTierMs: number = retryTiers[retryTiers.length - 1]!.ms;

/**
 * The routing key retries come back with. The tier queues dead-letter with it explicitly: a
 * message published to `dlx_exchange` carries its tier's name as routing key, which would not
 * match the main queue's `post.create.*` binding.
 */
export const retryRoutingKey = 'post.create.retry';

/** The routing key of a fresh message for a platform. */
export const createRoutingKey = (platform: string) => `post.create.${platform}`;

/** Exchange and queue names, each with an optional prefix so that tests can share a broker. */
export function names(prefix = '') {
  return {
    postExchange: `${prefix}post_exchange`,
    dlxExchange: `${prefix}dlx_exchange`,
    mainQueue: `${prefix}hayon_social_posts`,
    retryQueue: (tier: RetryTier) => `${prefix}hayon_retry_${tier.name}`,
    parkingLot: `${prefix}hayon_parking_lot`,
    deadLetters: `${prefix}hayon_dead_letters`,
  };
}

export type Names = ReturnType<typeof names>;

/** Every queue, in the order `hayon queue status` shows them. */
export function allQueues(n: Names): string[] {
  return [n.mainQueue, ...retryTiers.map((t) => n.retryQueue(t)), n.parkingLot, n.deadLetters];
}

/**
 * The tier for a delay: the smallest at least `delayMs` long, so a retry is never early (it may
 * be late by up to the gap to the next tier: 3 s asked → 5 s, 40 s → 2 min). Throws past the
 * last tier, which would otherwise make a retry early.
 */
export function tierFor(delayMs: number): RetryTier {
  const tier = retryTiers.find((t) => t.ms >= delayMs);
  if (!tier) throw new RangeError(`a delay of ${delayMs} ms is longer than the last retry tier (${maxTierMs} ms)`);
  return tier;
}

/**
 * Declares everything, idempotently (run on every connect):
 * `post_exchange` (topic) → `hayon_social_posts` on `post.create.*`; `dlx_exchange` (direct) →
 * one queue per delay tier with a queue-level TTL, dead-lettering back to `post_exchange` as
 * `post.create.retry`. A queue-level TTL, never per-message expiration: in one shared queue a
 * short delay would wait behind a long one. Plus the parking lot and the dead letters.
 */
export async function declareTopology(ch: Channel, n: Names): Promise<void> {
  await ch.assertExchange(n.postExchange, 'topic', { durable: true });
  await ch.assertExchange(n.dlxExchange, 'direct', { durable: true });
  await ch.assertQueue(n.mainQueue, { durable: true });
  await ch.bindQueue(n.mainQueue, n.postExchange, 'post.create.*');
  for (const tier of retryTiers) {
    const queue = n.retryQueue(tier);
    await ch.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-message-ttl': tier.ms,
        'x-dead-letter-exchange': n.postExchange,
        'x-dead-letter-routing-key': retryRoutingKey,
      },
    });
    await ch.bindQueue(queue, n.dlxExchange, tier.name);
  }
  await ch.assertQueue(n.parkingLot, { durable: true });
  await ch.assertQueue(n.deadLetters, { durable: true });
}

/** Removes what `declareTopology` made, messages included (benchmarks and tests on a shared vhost). */
export async function deleteTopology(ch: Channel, n: Names): Promise<void> {
  for (const q of allQueues(n)) await ch.deleteQueue(q);
  await ch.deleteExchange(n.postExchange);
  await ch.deleteExchange(n.dlxExchange);
}
