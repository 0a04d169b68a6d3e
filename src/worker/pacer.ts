import { setTimeout as sleep } from 'node:timers/promises';
import { resolveContent } from '../core/content.js';
import { PerKeyQueue } from '../core/per-key-queue.js';
import {
  decidePace,
  describeLimit,
  type PaceCost,
  type PaceDecision,
  type PaceLedger,
  type PaceLimit,
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

/**
 * Keeps each account under its platform's write limits, with the ledger in the store so that
 * every worker of a scaled deployment counts against the same one. `reserve` spends the cost
 * if it fits now (a compare-and-set on the ledger, tried again when another worker wrote in
 * between) or says when it will fit.
 */
export class Pacer {
  readonly #serial = new PerKeyQueue();
  /** Per account, the ledger this process stored last. */
  readonly #last = new Map<string, PaceLedger>();

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
    // The ledger this process wrote last is tried first, without a read: when no other process
    // wrote since, the write succeeds; when one did, the compare-and-set fails and the store's is
    // read. A stale ledger only lacks spends, so a "does not fit" from it is true of the store's.
    let current = this.#last.get(accountId) ?? (await this.store.getPacing(accountId));
    for (let round = 0; ; round++) {
      const decision = decidePace(current, accountId, limits, cost, now());
      if (!decision.fits) return decision;
      if (await this.store.putPacing(decision.ledger)) {
        this.#last.set(accountId, decision.ledger);
        return decision;
      }
      // Another worker spent on this account in between: read again. Contention is per account,
      // so a few rounds settle it; past 50 something is wrong and the error says so.
      if (round >= 50) throw new Error(`pacing ledger of ${accountId} kept changing under 50 attempts to write it`);
      await sleep(2 + Math.random() * 10 * Math.min(round + 1, 5));
      current = await this.store.getPacing(accountId);
    }
  }
}
