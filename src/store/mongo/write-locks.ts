import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Model } from 'mongoose';
import { isDuplicateKey } from './errors.js';
import type { LockDoc } from './schemas.js';

export interface WriteLockOptions {
  /** A lock older than this belongs to a process that died while holding it, and is broken. */
  ttlMs: number;
  /** How long to wait for a lock before giving up with an error. */
  waitMs: number;
}

/**
 * Per-document write locks, for FerretDB only.
 *
 * FerretDB 1.x runs `findOneAndUpdate` (and `updateOne`) as: query, apply the update in memory,
 * write the whole document back by `_id`, with nothing in between that re-checks the filter. Two
 * callers with the same condition both match, and both "win" (measured on 1.24.2 with the SQLite
 * handler: of 12 concurrent claims of one delivery, up to 12 succeeded). The one atomic step it
 * has is an insert refused by a unique index. So, against FerretDB 1.x, each conditional update
 * of a delivery runs under a lock document `{ _id: deliveryId }`: inserted first (the insert
 * that wins holds the lock), deleted after. MongoDB makes each single-document update atomic by
 * itself and never uses these locks (MongoStoreOptions.writeLocks).
 *
 * A lock whose holder died is broken after `ttlMs` (by `with`, and by `withFree` for the next
 * batch). Breaking reads the lock and deletes it by
 * owner, two steps that FerretDB does not make atomic either; it can go wrong only if a holder
 * died and two other callers break its lock in the same instant, which is acceptable for a test
 * server.
 */
export class WriteLocks {
  constructor(
    private readonly locks: Model<LockDoc>,
    private readonly options: WriteLockOptions,
  ) {}

  /**
   * The same locks with a shorter life, for a hot document written in one short step (an
   * account's pacing ledger): a holder that died blocks the others only this long.
   */
  withTtl(ttlMs: number): WriteLocks {
    return new WriteLocks(this.locks, { ...this.options, ttlMs });
  }

  async with<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const owner = await this.acquire(id);
    try {
      return await fn();
    } finally {
      await this.locks.deleteOne({ _id: id, owner });
    }
  }

  /**
   * Takes the locks among `ids` that are free now, without waiting, runs `fn` with the ids it
   * got, and releases them: four round trips for a whole batch (insert, read back, fn, delete)
   * instead of two per document.
   */
  async withFree<T>(ids: string[], fn: (held: string[]) => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const expiresAt = new Date(Date.now() + this.options.ttlMs);
    // Unordered: each insert that a held lock refuses fails alone. Which ones won is read back.
    await this.locks
      .insertMany(
        ids.map((_id) => ({ _id, owner, expiresAt })),
        { ordered: false },
      )
      .catch(() => undefined);
    const held = (
      await this.locks
        .find({ _id: { $in: ids }, owner })
        .select({ _id: 1 })
        .lean()
    ).map((l) => l._id);
    if (held.length < ids.length) {
      // Locks left by a holder that died are broken here, so the next batch can take them;
      // without this a delivery only ever changed in batches (takeDue) would stay locked for good.
      const taken = new Set(held);
      const others = ids.filter((id) => !taken.has(id));
      await this.locks.deleteMany({ _id: { $in: others }, expiresAt: { $lt: new Date() } });
    }
    try {
      return await fn(held);
    } finally {
      if (held.length > 0) await this.locks.deleteMany({ _id: { $in: held }, owner });
    }
  }

  private async acquire(id: string): Promise<string> {
    const owner = randomUUID();
    const giveUpAt = Date.now() + this.options.waitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.locks.create({ _id: id, owner, expiresAt: new Date(Date.now() + this.options.ttlMs) });
        return owner;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
      const held = await this.locks.findById(id).lean<LockDoc>();
      if (held && held.expiresAt.getTime() < Date.now()) {
        await this.locks.deleteOne({ _id: id, owner: held.owner });
        continue;
      }
      if (Date.now() > giveUpAt) throw new Error(`write lock on ${id} not acquired in ${this.options.waitMs} ms`);
      // Jittered backoff: a lock is held for one round trip, so the first waits are a few ms; a
      // lock left by a process that died stays until its expiry, and a tight loop of inserts and
      // reads against it would load the server for nothing, so the wait grows to 250 ms.
      const expiresIn = held ? held.expiresAt.getTime() - Date.now() : 0;
      const backoff = Math.min(2 * 1.5 ** attempt, 250);
      await sleep(Math.max(1, Math.min(backoff, expiresIn)) * (0.5 + Math.random()));
    }
  }
}
