import { HayonError } from '../core/errors.js';
import { type StoreAwayReason, StoreUnavailableError } from '../core/store-unavailable.js';

/** The longest the breaker waits for one probe of the store. */
const probeTimeoutMs = 5_000;

/** `promise`, or a rejection once `ms` have passed. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

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
 * the same StoreUnavailableError, except that at most once per `probeEveryMs` a call first runs
 * the store's `ping` (SQLite: a 200 ms lock probe) and goes through if it passes. A ping that
 * succeeds (also the readiness probe's) closes the breaker; a read that succeeds does not, as
 * reads pass a held SQLite write lock. So a blip costs about a second, an outage one short probe
 * a second.
 */
export function translateStoreErrors<T extends object>(
  store: T,
  /** Why the store is away, if `e` says it is; `maybeWritten` when a write was cut on its way. */
  classify: (e: unknown) => StoreAwayReason | { reason: StoreAwayReason; maybeWritten: true } | undefined,
  openForMs = 5000,
  probeEveryMs = 1000,
): T {
  let open: { until: number; reason: StoreAwayReason } | undefined;
  let lastProbe = 0;
  let probing: Promise<void> | undefined;
  const translate = (e: unknown): unknown => {
    if (e instanceof HayonError) return e;
    const away = classify(e);
    if (!away) return e;
    const reason = typeof away === 'string' ? away : away.reason;
    open = { until: Date.now() + openForMs, reason };
    lastProbe = Date.now();
    return new StoreUnavailableError(reason, e, typeof away !== 'string');
  };
  const wrapped = new Map<PropertyKey, { fn: unknown; wrapper: unknown }>();
  const proxy: T = new Proxy(store, {
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
        if (open && !alwaysTried.has(prop) && Date.now() < open.until) {
          const away = new StoreUnavailableError(open.reason, new Error('store still away (breaker open)'));
          const ping = (receiver as { ping?: () => Promise<void> }).ping;
          if (probing || typeof ping !== 'function' || Date.now() - lastProbe < probeEveryMs) {
            return Promise.reject(away);
          }
          lastProbe = Date.now();
          // Bounded: a probe that never settles would keep the breaker open for good.
          probing = withinMs(ping.call(receiver), probeTimeoutMs).finally(() => {
            probing = undefined;
          });
          return probing.then(
            () => wrapper.apply(this, args),
            () => Promise.reject(away),
          );
        }
        try {
          // Called on this proxy, directly or through another in front of it (the read cache calls
          // its target, which is this proxy), the method runs on the store itself: a method that
          // calls another of its store (MongoStore's ping starts a repair) is not refused by the
          // open breaker on the way.
          const result = fn.apply(this === proxy || this === receiver ? target : this, args);
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
  return proxy;
}
