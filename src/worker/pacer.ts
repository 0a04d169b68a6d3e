import { setTimeout as sleep } from 'node:timers/promises';
import { resolveContent } from '../core/content.js';
import { PerKeyQueue } from '../core/per-key-queue.js';
import {
  decideBlock,
  decidePace,
  describeLimit,
  type PaceCost,
  type PaceDecision,
  type PaceLedger,
  type PaceLimit,
  type PaceUnit,
  addCost,
  paceBucketOf,
  refundPace,
} from '../core/pacing.js';
import { platformNames } from '../core/platform-names.js';
import type { Account, Delivery, PlatformId, Post } from '../core/post.js';
import { formatInZone } from '../core/time-zone.js';
import { paceCost } from '../platforms/pacing-limits.js';
import type { PacingStore } from '../store/ports/pacing-store.js';

/** Why a delivery may not go now: held until `until`, or (no `until`) never within the limit. */
export interface PaceRefusal {
  until?: number;
  message: string;
}

/** Per account, the ledger this process stored last and the block it holds in it. */
interface Held {
  ledger: PaceLedger;
  /** The start of the ledger bucket the block was reserved in: it may be spent only within it. */
  bucket: number;
  /** What is left of the block, per unit. */
  left: PaceCost;
}

/**
 * Keeps each account under its platform's write limits, with the ledger in the store so that
 * every worker of a scaled deployment counts against the same one. `reserve` spends the cost
 * if it fits now (a compare-and-set on the ledger, tried again when another worker wrote in
 * between) or says when it will fit.
 *
 * A write per delivery would be a store round trip per delivery, so when an account is far from
 * its limits the Pacer reserves a block of several deliveries' cost in one write (`decideBlock`
 * says when, and how many) and spends the next deliveries of that account from the block held in
 * this process, with no store call. A block is spent only within the ledger bucket it was written
 * in, so that the ledger never counts a spend more than one bucket (10 s) before it happens, and
 * what is left of it when the bucket ends is given back in the next write for the account: the
 * ledger then counts what was spent, not what was reserved. Until then, and for good when the
 * process stops, the rest counts as spent, which holds deliveries back a little early and never
 * lets the limit be passed. Near a limit no block is taken, so each delivery is one write and is
 * held back exactly as long as the limit asks.
 */
export class Pacer {
  readonly #serial = new PerKeyQueue();
  readonly #held = new Map<string, Held>();

  constructor(
    private readonly store: PacingStore,
    private readonly limits: Partial<Record<PlatformId, readonly PaceLimit[]>>,
  ) {}

  limitsFor(platform: PlatformId): readonly PaceLimit[] {
    return this.limits[platform] ?? [];
  }

  /**
   * Spends what publishing the rest of `delivery` costs, or says why it may not go now: null
   * when it may. The cost is the parts still to publish, and the attachments when the first
   * part is among them.
   */
  async admit(post: Post, delivery: Delivery, account: Account, now: () => number): Promise<PaceRefusal | null> {
    const done = delivery.chain?.length ?? 0;
    const parts = (delivery.parts?.length ?? 1) - done;
    const media = done === 0 ? resolveContent(post, delivery.platform).media.length : 0;
    const cost = paceCost(delivery.platform, parts, media, done === 0);
    const decision = await this.reserve(account.id, delivery.platform, cost, now);
    if (decision.fits) return null;
    const name = platformNames[delivery.platform];
    const limit = describeLimit(decision.limit);
    if ('never' in decision) {
      return { message: `This post needs more than ${name} allows ${account.handle} in a whole window (${limit}).` };
    }
    const when = formatInZone(decision.at, post.timezone);
    return {
      until: decision.at,
      message: `Held back to stay under ${name}'s limit of ${limit} for ${account.handle}; it goes out at ${when}.`,
    };
  }

  /**
   * Spends `cost` on the account if it fits now. One at a time per account in this process: the
   * compare-and-set then races only other processes, not this one's own attempts.
   */
  reserve(accountId: string, platform: PlatformId, cost: PaceCost, now: () => number): Promise<PaceDecision> {
    const limits = this.limitsFor(platform);
    if (limits.length === 0) return Promise.resolve(decidePace(null, accountId, limits, cost, now())); // no read
    return this.#serial.run(accountId, () => this.#reserve(accountId, limits, cost, now));
  }

  async #reserve(
    accountId: string,
    limits: readonly PaceLimit[],
    cost: PaceCost,
    now: () => number,
  ): Promise<PaceDecision> {
    const held = this.#held.get(accountId);
    if (held && held.bucket === paceBucketOf(now()) && covers(held.left, cost)) {
      held.left = addCost(held.left, cost, -1);
      return { fits: true, ledger: held.ledger };
    }
    // The ledger this process wrote last is tried first, without a read: when no other process
    // wrote since, the write succeeds; when one did, the compare-and-set fails and the store's is
    // read. A stale ledger only lacks spends, so a "does not fit" from it is true of the store's.
    let current = held?.ledger ?? (await this.store.getPacing(accountId));
    for (let round = 0; ; round++) {
      const at = now();
      const bucket = paceBucketOf(at);
      // A block of an earlier bucket gives back what it did not spend in this same write; one of
      // this bucket too small for the cost keeps its rest, and the new block adds to it.
      const back = held && held.bucket !== bucket ? held : undefined;
      const ledger = current && back ? refundPace(current, back.bucket, back.left) : current;
      const decision = decideBlock(ledger, accountId, limits, cost, at);
      if (!decision.fits) return decision;
      if (await this.store.putPacing(decision.ledger)) {
        const kept = held && !back ? held.left : {};
        this.#held.set(accountId, { ledger: decision.ledger, bucket, left: addCost(kept, cost, decision.k - 1) });
        return { fits: true, ledger: decision.ledger };
      }
      // Another worker spent on this account in between: read again. Contention is per account,
      // so a few rounds settle it; past 50 something is wrong and the error says so.
      if (round >= 50) throw new Error(`pacing ledger of ${accountId} kept changing under 50 attempts to write it`);
      await sleep(2 + Math.random() * 10 * Math.min(round + 1, 5));
      current = await this.store.getPacing(accountId);
    }
  }
}

/** Whether `left` has at least `cost` in every unit the cost spends. */
function covers(left: PaceCost, cost: PaceCost): boolean {
  return (Object.keys(cost) as PaceUnit[]).every((unit) => (left[unit] ?? 0) >= (cost[unit] ?? 0));
}
