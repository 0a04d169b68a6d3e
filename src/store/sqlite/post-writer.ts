import { setImmediate } from 'node:timers';
import type Database from 'better-sqlite3';

interface Waiting<A, R> {
  args: A;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for createPost: the posts asked for while the event loop was busy (many requests
 * at once) are written in one IMMEDIATE transaction, each in its own savepoint, so one post that
 * fails (a duplicate id, a slot taken) is rolled back alone and the others are committed. Each
 * caller is answered after the commit that holds its post, so nothing is acknowledged before it
 * is stored; a commit costs the WAL a write of every page it changed, and posts written together
 * share their pages (the same index leaves). One post alone is one plain transaction.
 *
 * `write` runs inside the transaction and returns what createPost answers for that post.
 */
export class PostWriter<A, R> {
  #waiting: Waiting<A, R>[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly write: (args: A) => R,
  ) {}

  /** Resolves with `write`'s result once its transaction has committed. */
  submit(args: A): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ args, resolve, reject });
      if (this.#waiting.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#waiting.splice(0);
    if (batch.length === 1) {
      const [only] = batch as [Waiting<A, R>];
      try {
        only.resolve(this.db.transaction(() => this.write(only.args)).immediate());
      } catch (e) {
        only.reject(e);
      }
      return;
    }
    const one = this.db.transaction((args: A) => this.write(args));
    let outcomes: ({ ok: R } | { error: unknown })[];
    try {
      outcomes = this.db
        .transaction(() =>
          batch.map((w) => {
            try {
              return { ok: one(w.args) };
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
      else w.resolve(outcome.ok);
    });
  }
}
