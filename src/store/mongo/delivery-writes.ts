import type { QueryFilter, UpdateQuery } from 'mongoose';
import { cancellableStates } from '../../core/delivery-state.js';
import type { Delivery } from '../../core/post.js';
import type { AttemptOutcome, Claim, DeliveryProgress } from '../ports/delivery-store.js';
import { byDue, toDelivery } from './mapping.js';
import type { DeliveryDoc, Models } from './schemas.js';

const clearLease = { leaseOwner: 1, leaseExpiresAt: 1 } as const;

/** The updates batches make: fields set, lease fields cleared. */
type BatchUpdate = { $set: Record<string, unknown>; $unset?: Record<string, 1> };

/**
 * Every change of a delivery's state. Each is one `findOneAndUpdate` on the delivery's id with a
 * condition on its current state (and lease owner), which MongoDB applies atomically: of any
 * number of callers, at most one changes a given state. Batches (takeDue, expireLeases) read
 * candidates and then change each with its own conditional update, so concurrent callers split
 * them and never share one.
 */
export class DeliveryWrites {
  constructor(private readonly models: Pick<Models, 'deliveries'>) {}

  /** The one way a delivery changes: a conditional update of one document, returned as changed (or as it was). */
  cas(
    id: string,
    filter: QueryFilter<DeliveryDoc>,
    update: UpdateQuery<DeliveryDoc>,
    returnDocument: 'before' | 'after' = 'after',
  ): Promise<DeliveryDoc | null> {
    return this.models.deliveries
      .findOneAndUpdate({ ...filter, _id: id }, update, { returnDocument })
      .lean<DeliveryDoc>()
      .exec();
  }

  takeDue(now: number, limit: number): Promise<Delivery[]> {
    const due: QueryFilter<DeliveryDoc> = { state: 'scheduled', dueAt: { $lte: new Date(now) } };
    return this.changeEach(due, { dueAt: 1, _id: 1 }, limit, { $set: { state: 'queued', updatedAt: new Date(now) } });
  }

  /** One conditional update per id (by `_id`, which every server finds without a scan). */
  async takeDueByIds(ids: readonly string[], now: number): Promise<Delivery[]> {
    const due: QueryFilter<DeliveryDoc> = { state: 'scheduled', dueAt: { $lte: new Date(now) } };
    const update = { $set: { state: 'queued', updatedAt: new Date(now) } };
    const docs = await Promise.all(ids.map((id) => this.cas(id, due, update)));
    return docs
      .filter((d): d is DeliveryDoc => d !== null)
      .map(toDelivery)
      .sort(byDue);
  }

  expireLeases(now: number, limit: number): Promise<Delivery[]> {
    const lapsed: QueryFilter<DeliveryDoc> = { state: 'publishing', leaseExpiresAt: { $lt: new Date(now) } };
    return this.changeEach(lapsed, { leaseExpiresAt: 1, _id: 1 }, limit, {
      $set: { state: 'unknown', dueAt: new Date(now), updatedAt: new Date(now) },
      $unset: clearLease,
    });
  }

  takeStranded(state: 'queued' | 'unknown', olderThan: number, now: number, limit: number): Promise<Delivery[]> {
    const stranded: QueryFilter<DeliveryDoc> = { state, dueAt: { $lt: new Date(olderThan) } };
    return this.changeEach(stranded, { dueAt: 1, _id: 1 }, limit, {
      $set: { dueAt: new Date(now), updatedAt: new Date(now) },
    });
  }

  /**
   * Changes up to `limit` deliveries matching `filter`, in `sort` order. A candidate that another
   * caller changed first no longer matches and is skipped; the search goes on until `limit` are
   * changed or none is left.
   */
  private async changeEach(
    filter: QueryFilter<DeliveryDoc>,
    sort: Record<string, 1 | -1>,
    limit: number,
    update: BatchUpdate,
  ): Promise<Delivery[]> {
    const changed: Delivery[] = [];
    while (changed.length < limit) {
      const candidates = await this.models.deliveries
        .find(filter)
        .sort(sort)
        .limit(limit - changed.length)
        .select({ _id: 1 })
        .lean();
      if (candidates.length === 0) break;
      const docs = await Promise.all(candidates.map((c) => this.cas(c._id, filter, update)));
      for (const doc of docs) if (doc) changed.push(toDelivery(doc));
    }
    return changed.sort(byDue);
  }

  async claim(id: string, owner: string, now: number, leaseUntil: number): Promise<Claim | null> {
    const set = {
      state: 'publishing',
      leaseOwner: owner,
      leaseExpiresAt: new Date(leaseUntil),
      updatedAt: new Date(now),
    };
    // One update from either state; the document as it was tells which one it came from.
    const before = await this.cas(
      id,
      { $or: [{ state: 'queued', dueAt: { $lte: new Date(now) } }, { state: 'unknown' }] },
      { $set: set, $inc: { attempts: 1 } },
      'before',
    );
    if (!before || (before.state !== 'queued' && before.state !== 'unknown')) return null;
    const delivery = toDelivery({ ...before, ...set, state: 'publishing', attempts: before.attempts + 1 });
    return { delivery, from: before.state };
  }

  async revive(id: string, now: number, to: 'queued' | 'scheduled'): Promise<boolean> {
    const update = { $set: { state: to, attempts: 0, dueAt: new Date(now), updatedAt: new Date(now) } };
    return (await this.cas(id, { state: 'failed' }, update)) !== null;
  }

  async renewLease(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    const update = { $set: { leaseExpiresAt: new Date(leaseUntil) } };
    return (await this.cas(id, { state: 'publishing', leaseOwner: owner }, update)) !== null;
  }

  async saveProgress(id: string, owner: string, progress: DeliveryProgress, at: number): Promise<boolean> {
    const $set: Record<string, unknown> = { updatedAt: new Date(at) };
    const $unset: Record<string, 1> = {};
    if (progress.chain) $set.chain = progress.chain;
    if (progress.checkpoint) $set.checkpoint = progress.checkpoint;
    else if (progress.checkpoint === null) $unset.checkpoint = 1;
    const update = Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
    return (await this.cas(id, { state: 'publishing', leaseOwner: owner }, update)) !== null;
  }

  async finishAttempt(id: string, owner: string, outcome: AttemptOutcome, at: number): Promise<boolean> {
    const updatedAt = new Date(at);
    const set =
      outcome.kind === 'published'
        ? { state: 'published', result: outcome.result, publishedAt: new Date(outcome.at), updatedAt }
        : outcome.kind === 'retry'
          ? { state: outcome.state, dueAt: new Date(outcome.dueAt), lastError: outcome.error, updatedAt }
          : { state: 'failed', lastError: outcome.error, updatedAt };
    const refund = outcome.kind === 'retry' && outcome.refundAttempt ? { $inc: { attempts: -1 } } : {};
    const doc = await this.cas(
      id,
      { state: 'publishing', leaseOwner: owner },
      { $set: set, $unset: clearLease, ...refund },
    );
    return doc !== null;
  }

  /** Brings these `scheduled` deliveries forward to `now`; counts those it changed. */
  async bringForward(docs: DeliveryDoc[], now: number): Promise<number> {
    const at = new Date(now);
    const results = await Promise.all(
      docs.map((d) => this.cas(d._id, { state: 'scheduled' }, { $set: { dueAt: at, updatedAt: at } })),
    );
    return results.filter((r) => r !== null).length;
  }

  /** Cancels the cancellable ones among a post's deliveries and counts them. */
  async cancel(docs: DeliveryDoc[], at: number): Promise<number> {
    const cancellable = { state: { $in: [...cancellableStates] } };
    const cancel = { $set: { state: 'cancelled', updatedAt: new Date(at) }, $unset: clearLease };
    const results = await Promise.all(docs.map((d) => this.cas(d._id, cancellable, cancel)));
    return results.filter((r) => r !== null).length;
  }
}
