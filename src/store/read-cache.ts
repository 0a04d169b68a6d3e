import type { Store } from './store.js';

/** The reads every API request makes, kept for a short while: the token, the workspace's accounts, the workspace. */
const cachedReads = new Set<PropertyKey>(['findApiTokenByHash', 'listAccounts', 'getWorkspace']);

/** The writes that change what those reads return: each empties the cache, before and after it runs. */
const invalidatingWrites = new Set<PropertyKey>([
  'createAccount',
  'updateAccountCredentials',
  'setAccountHealth',
  'markAccountUnhealthy',
  'removeAccount',
  'createApiToken',
  'touchApiToken',
  'revokeApiToken',
  'ensureWorkspace',
  'updateWorkspaceSettings',
]);

interface Entry {
  value: Promise<unknown>;
  until: number;
}

export interface ReadCacheOptions {
  /** How long a read is kept; default 2 s. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * `store` with its API tokens (by hash), each workspace's accounts and each workspace read from
 * memory for `ttlMs` (2 s), so that a request does not read them again each time.
 *
 * What holds: a change made through this store (this process: an account added, reconnected,
 * marked unhealthy or removed, a token created or revoked, a workspace's settings) empties the
 * cache at once, and a read that was under way while it ran is not kept. A change made by another
 * process (`hayon tokens revoke` beside a running `hayon serve`, another replica in scaled mode)
 * is seen within `ttlMs`. A token that is not found is never kept, so a token just created
 * elsewhere works at once.
 */
export function withReadCache<S extends Store>(store: S, options: ReadCacheOptions = {}): S {
  const ttlMs = options.ttlMs ?? 2_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let generation = 0;
  const invalidate = () => {
    generation++;
    entries.clear();
  };
  const read = (prop: string, fn: (...args: unknown[]) => Promise<unknown>, args: unknown[]): Promise<unknown> => {
    const key = `${prop}\n${String(args[0])}`;
    const at = now();
    const cached = entries.get(key);
    if (cached && at < cached.until) return cached.value.then(copy);
    const started = generation;
    const value = fn(...args);
    entries.set(key, { value, until: at + ttlMs });
    value.then(
      (v) => {
        // Not kept when a write ran meanwhile (it may not show in this read), nor a miss.
        if ((generation !== started || v === null) && entries.get(key)?.value === value) entries.delete(key);
      },
      () => {
        if (entries.get(key)?.value === value) entries.delete(key);
      },
    );
    return value.then(copy);
  };
  const wrapped = new Map<PropertyKey, { fn: unknown; wrapper: unknown }>();
  const wrap = (target: S, prop: PropertyKey, value: (...a: unknown[]) => unknown) => {
    const fn = (...args: unknown[]) => value.apply(target, args);
    if (cachedReads.has(prop)) return (...args: unknown[]) => read(String(prop), fn as never, args);
    if (invalidatingWrites.has(prop)) {
      return async (...args: unknown[]) => {
        invalidate();
        try {
          return await fn(...args);
        } finally {
          invalidate();
        }
      };
    }
    return fn;
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      const known = wrapped.get(prop);
      if (known?.fn === value) return known.wrapper;
      const wrapper = wrap(target, prop, value as (...a: unknown[]) => unknown);
      wrapped.set(prop, { fn: value, wrapper });
      return wrapper;
    },
  });
}

/** Each caller gets its own list (and its own token, account and workspace objects to change). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => ({ ...v }));
  return value && typeof value === 'object' ? { ...value } : value;
}
