import { HayonError } from '../core/errors.js';
import { type StoreAwayReason, StoreUnavailableError } from '../core/store-unavailable.js';

/**
 * `store` with every method's errors passed through `classify`: an error it recognises as the
 * store being away becomes a StoreUnavailableError, any other error is thrown unchanged. Works
 * for methods on the prototype and for arrow-function properties, sync or async.
 */
export function translateStoreErrors<T extends object>(
  store: T,
  classify: (e: unknown) => StoreAwayReason | undefined,
): T {
  const translate = (e: unknown): unknown => {
    if (e instanceof HayonError) return e;
    const reason = classify(e);
    return reason ? new StoreUnavailableError(reason, e) : e;
  };
  const wrapped = new Map<PropertyKey, { fn: unknown; wrapper: unknown }>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      const known = wrapped.get(prop);
      if (known?.fn === value) return known.wrapper;
      const fn = value as (...args: unknown[]) => unknown;
      const wrapper = function (this: unknown, ...args: unknown[]): unknown {
        try {
          const result = fn.apply(this === receiver ? target : this, args);
          if (result instanceof Promise) {
            return result.catch((e: unknown) => {
              throw translate(e);
            });
          }
          return result;
        } catch (e) {
          throw translate(e);
        }
      };
      wrapped.set(prop, { fn: value, wrapper });
      return wrapper;
    },
  });
}
