import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection, QueryFilter, UpdateQuery } from 'mongoose';
import { cancellableStates } from '../../core/delivery-state.js';
import type { Delivery } from '../../core/post.js';
import type { AttemptOutcome, Claim, DeliveryProgress } from '../ports/delivery-store.js';
import { byDue, toDelivery } from './mapping.js';
import type { DeliveryDoc, Models } from './schemas.js';
import { WriteLocks } from './write-locks.js';

const clearLease = { leaseOwner: 1, leaseExpiresAt: 1 } as const;

/** The updates batches make: fields set, lease fields cleared. */
type BatchUpdate = { $set: Record<string, unknown>; $unset?: Record<string, 1> };
const LOCKS = { ttlMs: 10_000, waitMs: 15_000 };

/**
 * Every change of a delivery's state. Each is one `findOneAndUpdate` on the delivery's id with a
 * condition on its current state (and lease owner), which MongoDB applies atomically: of any
 * number of callers, at most one changes a given state. Batches (takeDue, expireLeases) read
 * candidates and then change each with its own conditional update, so concurrent callers split
 * them and never share one. Against FerretDB each update runs under a write lock (write-locks.ts).
 */
export class DeliveryWrites {
  private locks: Promise<WriteLocks | null> | undefined;
  private ferretDb: Promise<boolean> | undefined;

  /** `writeLocks`: see MongoStoreOptions; undefined asks the server. */
  constructor(
    private readonly connection: Connection,
    private readonly models: Models,
    private readonly writeLocks: boolean | undefined,
  ) {}

  /** The one way a delivery changes: a conditional update of one document, returned as changed (or as it was). */
  async cas(
    id: string,
    filter: QueryFilter<DeliveryDoc>,
    update: UpdateQuery<DeliveryDoc>,
    returnDocument: 'before' | 'after' = 'after',
  ): Promise<DeliveryDoc | null> {
    const run = () =>
      this.models.deliveries.findOneAndUpdate({ ...filter, _id: id }, update, { returnDocument }).lean<DeliveryDoc>();
    const locks = await this.lockIfNeeded();
    return locks ? locks.with(id, run) : run();
  }

  /** The write locks when the server needs them (FerretDB), else null; asked once. */
  lockIfNeeded(): Promise<WriteLocks | null> {
    if (!this.locks) {
      this.locks = (async () => {
        const on = this.writeLocks ?? (await this.isFerretDb());
        return on ? new WriteLocks(this.models.locks, LOCKS) : null;
      })();
      // A failed detection (server down) is tried again by the next call.
      this.locks.catch(() => {
        this.locks = undefined;
      });
    }
    return this.locks;
  }

  /** Whether the server is FerretDB (see by-values.ts for what that changes in reads); asked once. */
  isFerretDb(): Promise<boolean> {
    if (!this.ferretDb) {
      this.ferretDb = askFerretDb(this.connection);
      this.ferretDb.catch(() => {
        this.ferretDb = undefined;
      });
    }
    return this.ferretDb;
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
    let idleRounds = 0;
    while (changed.length < limit) {
      const candidates = await this.models.deliveries
        .find(filter)
        .sort(sort)
        .limit(limit - changed.length)
        .select({ _id: 1 })
        .lean();
      if (candidates.length === 0) break;
      const locks = await this.lockIfNeeded();
      const ids = candidates.map((c) => c._id);
      const docs = locks
        ? await locks.withFree(ids, (held) => this.changeHeld(held, filter, update))
        : await Promise.all(ids.map((id) => this.cas(id, filter, update as UpdateQuery<DeliveryDoc>)));
      for (const doc of docs) if (doc) changed.push(toDelivery(doc));
      if (locks && docs.length === 0) {
        // Another caller holds these candidates (FerretDB may stop an insertMany at its first
        // refused lock); it will have moved them on after a short wait, freeing the next ones.
        if (++idleRounds > 20) break;
        await sleep(5 + Math.random() * 20);
      }
    }
    return changed.sort(byDue);
  }

  /**
   * FerretDB only, with the write locks of `held` taken: those still matching `filter` cannot
   * change under us, so one read and one `updateMany` change them all.
   */
  private async changeHeld(
    held: string[],
    filter: QueryFilter<DeliveryDoc>,
    update: BatchUpdate,
  ): Promise<DeliveryDoc[]> {
    if (held.length === 0) return [];
    const matching = await this.models.deliveries.find({ ...filter, _id: { $in: held } }).lean<DeliveryDoc[]>();
    if (matching.length === 0) return [];
    // With the filter (always a state): FerretDB 1.x reads the whole collection for an `$in`
    // alone, and only the documents in that state with it (by-values.ts).
    await this.models.deliveries.updateMany({ ...filter, _id: { $in: matching.map((d) => d._id) } }, update);
    return matching.map((doc) => {
      const changed: Record<string, unknown> = { ...doc, ...update.$set };
      for (const key of Object.keys(update.$unset ?? {})) delete changed[key];
      return changed as unknown as DeliveryDoc;
    });
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

  async revive(id: string, now: number): Promise<boolean> {
    const update = { $set: { state: 'queued', attempts: 0, dueAt: new Date(now), updatedAt: new Date(now) } };
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

  /**
   * Cancels the cancellable ones among a committed post's deliveries and counts them. A draft of
   * the post (its createPost is releasing it right now) is cancelled too.
   */
  async bringForward(docs: DeliveryDoc[], now: number): Promise<number> {
    const at = new Date(now);
    const results = await Promise.all(
      docs.map((d) => this.cas(d._id, { state: 'scheduled' }, { $set: { dueAt: at, updatedAt: at } })),
    );
    return results.filter((r) => r !== null).length;
  }

  async cancel(docs: DeliveryDoc[], createToken: string, at: number): Promise<number> {
    const cancellable = [...cancellableStates];
    const cancel = { $set: { state: 'cancelled', updatedAt: new Date(at) }, $unset: { ...clearLease, draft: 1 } };
    const draft: QueryFilter<DeliveryDoc> = {
      state: 'draft',
      'draft.token': createToken,
      'draft.state': { $in: cancellable },
    };
    const results = await Promise.all(
      docs.map((d) => this.cas(d._id, d.state === 'draft' ? draft : { state: { $in: cancellable } }, cancel)),
    );
    return results.filter((r) => r !== null).length;
  }
}

/**
 * FerretDB answers buildInfo with its own version. Only 1.x is known to need the locks; 2.x (on
 * PostgreSQL with DocumentDB) was not tested here, so it gets them too, which costs only speed.
 */
async function askFerretDb(connection: Connection): Promise<boolean> {
  await connection.asPromise();
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}
