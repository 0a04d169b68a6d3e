import { setImmediate } from 'node:timers';
import type Database from 'better-sqlite3';

interface Waiting {
  write: () => unknown;
  resolve: (result: never) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the writes asked for while the event loop was busy (posts from many requests at
 * once, the claims and outcomes of a worker's concurrent attempts) run in one IMMEDIATE
 * transaction, each in its own savepoint, so one that fails (a duplicate id, a slot taken) is
 * rolled back alone and the others are committed. Each caller is answered after the commit that
 * holds its write, so nothing is acknowledged before it is stored. A commit is most of what a
 * small write costs (the WAL gets every page it changed, and writes made together share pages:
 * the same index leaves), so a batch of sixteen costs little more than one. One write alone is
 * one plain transaction.
 *
 * `write` runs inside the transaction, synchronously, and returns what its caller is answered.
 */
export class GroupCommit {
  #waiting: Waiting[] = [];

  constructor(private readonly db: Database.Database) {}

  /** Resolves with `write`'s result once its transaction has committed. */
  submit<R>(write: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ write, resolve: resolve as (result: never) => void, reject });
      if (this.#waiting.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#waiting.splice(0);
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      try {
        only.resolve(this.db.transaction(only.write).immediate() as never);
      } catch (e) {
        only.reject(e);
      }
      return;
    }
    const one = this.db.transaction((write: () => unknown) => write());
    let outcomes: ({ ok: unknown } | { error: unknown })[];
    try {
      outcomes = this.db
        .transaction(() =>
          batch.map((w) => {
            try {
              return { ok: one(w.write) };
            } catch (error) {
              // Some errors (disk full, I/O) end the whole transaction in SQLite: then nothing of
              // the batch is stored, and every caller hears of it.
              if (!this.db.inTransaction) throw error;
              return { error };
            }
          }),
        )
        .immediate();
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i]!;
      if ('error' in outcome) w.reject(outcome.error);
      else w.resolve(outcome.ok as never);
    });
  }
}
