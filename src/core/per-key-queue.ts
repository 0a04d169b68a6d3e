/**
 * Runs work for one key in order, each piece when the one before has finished: the edits of one
 * chat message, so that a slower, older summary never overwrites a newer one in this process;
 * the spends of one account, so that this process's attempts do not race each other for its
 * pacing ledger.
 */
export class PerKeyQueue {
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const done = (this.#tails.get(key) ?? Promise.resolve()).then(work);
    const tail = done.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return done;
  }
}
