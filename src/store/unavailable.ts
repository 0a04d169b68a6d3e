import { HayonError } from '../core/errors.js';
import { type StoreAwayReason, StoreUnavailableError } from '../core/store-unavailable.js';

/** Methods that always reach the store: opening, closing, and the readiness probe that closes the breaker. */
const alwaysTried = new Set<PropertyKey>(['init', 'close', 'ping']);

/**
 * `store` with every method's errors passed through `classify`: an error it recognises as the
 * store being away becomes a StoreUnavailableError, any other error is thrown unchanged. Works
 * for methods on the prototype and for arrow-function properties, sync or async.
 *
 * A breaker keeps a store that is away from costing every caller its full wait (the SQLite busy
 * wait blocks the whole process, as better-sqlite3 is synchronous; MongoDB's server selection
 * holds each request for seconds): for `openForMs` after such an error, calls fail at once with
 * the same StoreUnavailableError. `ping` always reaches the store, and its success closes the
 * breaker (a read that succeeds does not: reads pass a held SQLite write lock), so the readiness
 * probe notices first when the store is back.
 */
export function translateStoreErrors<T extends object>(
  store: T,
  classify: (e: unknown) => StoreAwayReason | undefined,
  openForMs = 5000,
): T {
  let open: { until: number; reason: StoreAwayReason } | undefined;
  const translate = (e: unknown): unknown => {
    if (e instanceof HayonError) return e;
    const reason = classify(e);
    if (!reason) return e;
    open = { until: Date.now() + openForMs, reason };
    return new StoreUnavailableError(reason, e);
  };
  const wrapped = new Map<PropertyKey, { fn: unknown; wrapper: unknown }>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      const known = wrapped.get(prop);
      if (known?.fn === value) return known.wrapper;
      const fn = value as (...args: unknown[]) => unknown;
      const succeeded = <R>(result: R): R => {
        if (prop === 'ping') open = undefined;
        return result;
      };
      const wrapper = function (this: unknown, ...args: unknown[]): unknown {
        if (open && !alwaysTried.has(prop)) {
          if (Date.now() < open.until) {
            return Promise.reject(new StoreUnavailableError(open.reason, new Error('store still away (breaker open)')));
          }
        }
        try {
          const result = fn.apply(this === receiver ? target : this, args);
          if (result instanceof Promise) {
            return result.then(succeeded, (e: unknown) => {
              throw translate(e);
            });
          }
          return succeeded(result);
        } catch (e) {
          throw translate(e);
        }
      };
      wrapped.set(prop, { fn: value, wrapper });
      return wrapper;
    },
  });
}
