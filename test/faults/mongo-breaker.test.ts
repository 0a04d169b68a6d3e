// MongoDB away for longer than the stuck-client check waits, while the store's breaker is open:
// the check runs beside the failing pings and nothing it meets is left unhandled (an unhandled
// rejection ends `hayon serve`); once MongoDB is back, the same store works again.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/core/store-unavailable.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { withReadCache } from '../../src/store/read-cache.js';
import { mongoTestServer } from '../mongo-server.js';
import { dropMongoDatabase, mongoBehindProxy } from './mongo-proxy.js';

const mongo = mongoTestServer();

describe.skipIf(mongo.skip !== undefined)('MongoDB away past the stuck-client check, breaker open', () => {
  it('fails its pings without an unhandled rejection, and works again once MongoDB is back', async () => {
    const dbName = `hayon_breaker_${process.pid}_${Date.now()}`;
    const { proxy, url } = await mongoBehindProxy(mongo.url ?? '', dbName);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // Behind the read cache, as hayon holds its store (src/app/adapters.ts).
    const store = withReadCache(new MongoStore({ url, serverSelectionTimeoutMs: 300, stuckAfterMs: 200 }));
    try {
      await store.ping();
      await proxy.cut();
      // A call that fails opens the breaker; then pings fail for longer than stuckAfterMs.
      await expect(store.getPost('post_none')).rejects.toBeInstanceOf(StoreUnavailableError);
      for (let i = 0; i < 5; i++) {
        await expect(store.ping()).rejects.toThrow();
        await sleep(150);
      }
      // The check's own client gives up on a server away for every client after 2 s.
      await sleep(2_500);
      expect(unhandled).toEqual([]);

      await proxy.restore();
      await expect
        .poll(
          () =>
            store.ping().then(
              () => 'answers',
              (e: Error) => e.message,
            ),
          { timeout: 20_000, interval: 250 },
        )
        .toBe('answers');
      expect(await store.getPost('post_none')).toBeNull();
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await proxy.restore();
      await store.close();
      await proxy.stop();
      await dropMongoDatabase(mongo.url ?? '', dbName);
    }
  }, 60_000);
});
