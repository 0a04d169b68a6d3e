import mongoose from 'mongoose';
import { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { mongoDatabaseUrl } from '../mongo-server.js';

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
