import mongoose from 'mongoose';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { mongoDatabaseUrl } from '../mongo-server.js';
import type { StoreFault } from './store-faults.js';

/**
 * A TcpFaultProxy started in front of the test MongoDB at `mongoUrl`, and the URL of database
 * `dbName` through it: `proxy.cut()` takes the store away, `proxy.restore()` brings it back.
 */
export async function mongoBehindProxy(
  mongoUrl: string,
  dbName: string,
): Promise<{ proxy: TcpFaultProxy; url: string }> {
  const base = mongoDatabaseUrl(mongoUrl, dbName);
  const server = /^mongodb:\/\/(?:[^@/]*@)?([^/:]+):(\d+)/.exec(base);
  if (!server) throw new Error('expected a mongodb://host:port URL');
  const proxy = new TcpFaultProxy(server[1] ?? '', Number(server[2]));
  const port = await proxy.start();
  return { proxy, url: base.replace(`${server[1]}:${server[2]}`, `127.0.0.1:${port}`) };
}

/** Drops database `dbName` of the test MongoDB directly (not through a proxy). */
export async function dropMongoDatabase(mongoUrl: string, dbName: string): Promise<void> {
  const admin = mongoose.createConnection(mongoDatabaseUrl(mongoUrl, dbName), { serverSelectionTimeoutMS: 5000 });
  await admin.asPromise();
  await admin.dropDatabase();
  await admin.close();
}

/** The test MongoDB as a describe's store fault: see `mongoAway`. */
export interface MongoAway {
  /** A MongoStore on the database, through the proxy (servers given up on after 3 s). */
  store: MongoStore;
  /** Every connection cut and new ones refused (`takeAway`); the proxy open again (`bringBack`). */
  fault: StoreFault;
  /** Once hayon has stopped: the proxy closed and the database dropped. */
  dispose(): Promise<void>;
}

/** Database `dbName` of the test MongoDB at `mongoUrl` behind a TcpFaultProxy, as a store and its fault. */
export async function mongoAway(mongoUrl: string, dbName: string): Promise<MongoAway> {
  const { proxy, url } = await mongoBehindProxy(mongoUrl, dbName);
  return {
    store: new MongoStore({ url, serverSelectionTimeoutMs: 3000 }),
    fault: { takeAway: () => proxy.cut(), bringBack: () => proxy.restore() },
    async dispose() {
      await proxy.stop();
      await dropMongoDatabase(mongoUrl, dbName);
    },
  };
}
