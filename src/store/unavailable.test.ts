import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { HayonError } from '../core/errors.js';
import { StoreUnavailableError } from '../core/store-unavailable.js';
import { isUnreachable } from './mongo/errors.js';
import { sqliteAwayReason } from './sqlite/errors.js';
import { withReadCache } from './read-cache.js';
import type { Store } from './store.js';
import { translateStoreErrors } from './unavailable.js';

const sqliteError = (code: string) => Object.assign(new Error(code), { code });
const named = (name: string, message = 'x', cause?: unknown) => Object.assign(new Error(message, { cause }), { name });

describe('store errors', () => {
  it('sorts SQLite codes: busy and locked, full, unwritable; a wrong query is not the store being away', () => {
    expect(sqliteAwayReason(sqliteError('SQLITE_BUSY'))).toBe('busy');
    expect(sqliteAwayReason(sqliteError('SQLITE_BUSY_SNAPSHOT'))).toBe('busy');
    expect(sqliteAwayReason(sqliteError('SQLITE_LOCKED'))).toBe('busy');
    expect(sqliteAwayReason(sqliteError('SQLITE_FULL'))).toBe('full');
    expect(sqliteAwayReason(sqliteError('SQLITE_IOERR_WRITE'))).toBe('not_answering');
    expect(sqliteAwayReason(sqliteError('SQLITE_READONLY'))).toBe('not_answering');
    expect(sqliteAwayReason(sqliteError('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(sqliteAwayReason(sqliteError('SQLITE_ERROR'))).toBeUndefined();
    expect(sqliteAwayReason(new Error('no code'))).toBeUndefined();
  });

  it("knows MongoDB's unreachable errors, also as a cause, and mongoose's buffering timeout", () => {
    expect(isUnreachable(named('MongoServerSelectionError'))).toBe(true);
    expect(isUnreachable(named('MongoNetworkError'))).toBe(true);
    expect(isUnreachable(named('MongoServerError', 'Transaction aborted', named('MongoNetworkError')))).toBe(true);
    expect(
      isUnreachable(named('MongooseError', 'Operation `posts.insertOne()` buffering timed out after 3000ms')),
    ).toBe(true);
    expect(isUnreachable(Object.assign(named('MongoServerError', 'E11000 duplicate key'), { code: 11000 }))).toBe(
      false,
    );
    expect(isUnreachable(new Error('boom'))).toBe(false);
  });

  const { MongoBulkWriteError, MongoNetworkError } = mongoose.mongo;
  it('knows a network error that insertMany copied into a MongoBulkWriteError (a post written while MongoDB is away)', () => {
    const network = new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017');
    const bulk = new MongoBulkWriteError(network as never, {} as never);
    expect(bulk.name).toBe('MongoBulkWriteError');
    expect(isUnreachable(bulk)).toBe(true);
    const duplicate = new MongoBulkWriteError({ message: 'E11000 duplicate key', code: 11000 }, {} as never);
    expect(isUnreachable(duplicate)).toBe(false);
  });
});

class FlakyStore {
  away = false;
  calls = 0;
  async write(): Promise<string> {
    this.calls++;
    if (this.away) throw sqliteError('SQLITE_BUSY');
    return 'written';
  }
  async bad(): Promise<void> {
    throw sqliteError('SQLITE_CONSTRAINT_UNIQUE');
  }
  async ping(): Promise<void> {
    if (this.away) throw sqliteError('SQLITE_BUSY');
  }
}

describe('translateStoreErrors', () => {
  it('turns an away error into a 503 StoreUnavailableError with Retry-After and a sentence naming the database', async () => {
    const store = translateStoreErrors(new FlakyStore(), sqliteAwayReason);
    store.away = true;
    const e = await store.write().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(StoreUnavailableError);
    const he = e as HayonError;
    expect(he.status).toBe(503);
    expect(he.retryAfterSec).toBe(30);
    expect(he.publicMessage).toBe(
      'hayon cannot save posts right now: the database is busy (another process holds its write lock). Try again in a minute.',
    );
  });

  it('leaves other errors as they are', async () => {
    const store = translateStoreErrors(new FlakyStore(), sqliteAwayReason);
    await expect(store.bad()).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await expect(store.bad()).rejects.not.toBeInstanceOf(HayonError);
  });

  it('fails at once while the breaker is open, and a ping that succeeds closes it', async () => {
    const store = translateStoreErrors(new FlakyStore(), sqliteAwayReason, 60_000);
    store.away = true;
    await expect(store.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    store.away = false;
    await expect(store.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.calls).toBe(1);
    await store.ping();
    await expect(store.write()).resolves.toBe('written');
    expect(store.calls).toBe(2);
  });

  it('lets a call through once a second when the ping it runs first passes (a blip costs about a second)', async () => {
    const store = translateStoreErrors(new FlakyStore(), sqliteAwayReason, 60_000, 0);
    store.away = true;
    await expect(store.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.calls).toBe(1);
    store.away = false;
    await expect(store.write()).resolves.toBe('written');
    expect(store.calls).toBe(2);
  });

  it('a probe that never answers does not keep the breaker open: the next one goes after 5 s', async () => {
    const store = translateStoreErrors(new FlakyStore(), sqliteAwayReason, 60_000, 0);
    store.away = true;
    await expect(store.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    // The store hangs on the probe, then comes back.
    let hung = true;
    const ping = store.ping.bind(store);
    Object.assign(store, { ping: () => (hung ? new Promise<void>(() => {}) : ping()) });
    // This call waits on that probe: it is given up after 5 s instead of holding every later call.
    await expect(store.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    store.away = false;
    hung = false;
    await expect(store.write()).resolves.toBe('written');
  }, 10_000);

  it('tries again once the breaker window has passed', async () => {
    const store = translateStoreErrors(new FlakyStore(), sqliteAwayReason, 0);
    store.away = true;
    await expect(store.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    store.away = false;
    await expect(store.write()).resolves.toBe('written');
  });

  it('a method that calls another of its store is not refused by the open breaker, also behind the read cache', async () => {
    // MongoStore's ping starts a repair of a stuck client: the repair must reach the store while
    // the breaker is open, which is exactly when it is needed.
    class RepairingStore extends FlakyStore {
      repairs = 0;
      override async ping(): Promise<void> {
        await this.repair();
      }
      async repair(): Promise<void> {
        this.repairs++;
      }
    }
    const inner = new RepairingStore();
    const breaker = translateStoreErrors(inner, sqliteAwayReason, 60_000);
    const cached = withReadCache(breaker as unknown as Store) as unknown as RepairingStore;
    inner.away = true;
    await expect(cached.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    // The breaker is open: a write is refused at once, but ping and what it calls go through.
    await expect(cached.write()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(breaker.ping()).resolves.toBeUndefined();
    await expect(cached.ping()).resolves.toBeUndefined();
    expect(inner.repairs).toBe(2);
  });
});
