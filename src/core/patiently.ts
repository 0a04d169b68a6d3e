/**
 * Runs `fn` until it resolves, pausing 200 ms, 400 ms … up to 2 s between tries, for `retryMs` at
 * most or until `stopping()` is true; then throws the last error. For store calls that must not
 * be lost to a brief outage of the store (a restart, a failover).
 */
export async function patiently<T>(
  fn: () => Promise<T>,
  options: { retryMs: number; stopping: () => boolean },
): Promise<T> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const pause = Math.min(200 * 2 ** attempt, 2_000);
      if (options.stopping() || performance.now() - started + pause > options.retryMs) throw err;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
