import { randomUUID } from 'node:crypto';
import type { QueryFilter, UpdateQuery } from 'mongoose';
import { cancellableStates } from '../../core/delivery-state.js';
import type { AttemptRecord } from '../../core/history.js';
import type { Delivery } from '../../core/post.js';
import type { AttemptOutcome, Claim, DeliveryProgress } from '../ports/delivery-store.js';
import { byDue, toDelivery } from './mapping.js';
import type { DeliveryDoc, Models } from './schemas.js';

const clearLease = { leaseOwner: 1, leaseExpiresAt: 1 } as const;

/** The updates batches make: fields set, lease fields cleared. */
type BatchUpdate = { $set: Partial<DeliveryDoc>; $unset?: typeof clearLease };

/** `doc` as `update` leaves it. */
function applied(doc: DeliveryDoc, update: BatchUpdate): DeliveryDoc {
  const next = { ...doc, ...update.$set };
  if (update.$unset) for (const key of Object.keys(update.$unset) as (keyof typeof clearLease)[]) delete next[key];
  return next;
}

/**
 * Every change of a delivery's state. A single delivery changes by one `findOneAndUpdate` on its
 * id with a condition on its current state (and lease owner), which MongoDB applies atomically:
 * of any number of callers, at most one changes a given state. Batches (takeDue, takeDueByIds,
 * expireLeases, takeStranded) change many for a few commands, not one each: see `changeAll`.
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
      .findOneAndUpdate({ ...filter, _id: id }, update, { returnDocument, projection: { history: 0 } })
      .lean<DeliveryDoc>()
      .exec();
  }

  takeDue(now: number, limit: number): Promise<Delivery[]> {
    const due: QueryFilter<DeliveryDoc> = { state: 'scheduled', dueAt: { $lte: new Date(now) } };
    return this.changeEach(due, { dueAt: 1, _id: 1 }, limit, { $set: { state: 'queued', updatedAt: new Date(now) } });
  }

  /** One `find` by `_id` (which every server answers without a scan), then one batch update. */
  async takeDueByIds(ids: readonly string[], now: number): Promise<Delivery[]> {
    if (ids.length === 0) return [];
    const due: QueryFilter<DeliveryDoc> = { state: 'scheduled', dueAt: { $lte: new Date(now) } };
    const candidates = await this.models.deliveries
      .find({ ...due, _id: { $in: [...ids] } }, { history: 0 })
      .lean<DeliveryDoc[]>()
      .exec();
    const changed = await this.changeAll(candidates, due, { $set: { state: 'queued', updatedAt: new Date(now) } });
    return changed.sort(byDue);
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
   * Changes up to `limit` deliveries matching `filter`, in `sort` order: one `find` of candidates
   * and one `changeAll` per round. A candidate that another caller changed first no longer
   * matches and is skipped; the search goes on until `limit` are changed or none is left.
   */
  private async changeEach(
    filter: QueryFilter<DeliveryDoc>,
    sort: Record<string, 1 | -1>,
    limit: number,
    update: BatchUpdate,
  ): Promise<Delivery[]> {
    const changed: Delivery[] = [];
    while (changed.length < limit) {
      const wanted = limit - changed.length;
      const candidates = await this.models.deliveries
        .find(filter, { history: 0 }) // a Delivery does not carry its history
        .sort(sort)
        .limit(wanted)
        // All in the first reply: past 101 documents the driver would otherwise ask again (getMore).
        .batchSize(wanted)
        .lean<DeliveryDoc[]>()
        .exec();
      if (candidates.length === 0) break;
      changed.push(...(await this.changeAll(candidates, filter, update)));
    }
    return changed.sort(byDue);
  }

  /**
   * Applies `update` to those of `candidates` that still match `filter` and returns the ones this
   * call changed, as changed. One `updateMany`, whose filter MongoDB checks atomically per
   * document, so of concurrent callers exactly one changes each delivery; it also stamps them
   * with a token new to this call (`takenBy`). When it changed every candidate, they are all ours
   * and are returned from the documents already read; when it changed none, none is; when it
   * changed some (another caller was first to the others), one more `find` by the token tells
   * which. The token is never cleared: every batch writes a new one, and nothing else reads it.
   */
  private async changeAll(
    candidates: DeliveryDoc[],
    filter: QueryFilter<DeliveryDoc>,
    update: BatchUpdate,
  ): Promise<Delivery[]> {
    if (candidates.length === 0) return [];
    const ids = candidates.map((c) => c._id);
    const token = randomUUID();
    const { modifiedCount } = await this.models.deliveries
      .updateMany({ ...filter, _id: { $in: ids } }, { ...update, $set: { ...update.$set, takenBy: token } })
      .exec();
    if (modifiedCount === 0) return [];
    let ours = candidates;
    if (modifiedCount < candidates.length) {
      const mine = await this.models.deliveries
        .find({ _id: { $in: ids }, takenBy: token })
        .select({ _id: 1 })
        .lean<Pick<DeliveryDoc, '_id'>[]>()
        .exec();
      const taken = new Set(mine.map((d) => d._id));
      ours = candidates.filter((c) => taken.has(c._id));
    }
    return ours.map((c) => toDelivery(applied(c, update)));
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

  /** The outcome, with the attempt's `record` pushed onto the delivery's history in the same update. */
  async finishAttempt(
    id: string,
    owner: string,
    outcome: AttemptOutcome,
    at: number,
    record?: AttemptRecord,
  ): Promise<boolean> {
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
      { $set: set, $unset: clearLease, ...refund, ...(record ? { $push: { history: record } } : {}) },
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
