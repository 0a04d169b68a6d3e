// One `hayon worker` process for hayon-scaled (systems/hayon.ts): the real worker role on the
// run's DocumentDB database and RabbitMQ prefix, publishing to the bench's fake platform. Prints
// one `{"ready":true}` line once it consumes; SIGTERM stops it the way `hayon worker` stops.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppContext } from '../../../src/app/app-context.js';
import { envToConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/logger.js';
import { RabbitTransport } from '../../../src/queue/rabbitmq/rabbit-transport.js';
import { WorkerRole } from '../../../src/roles/worker-role.js';
import { MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { type ScaledWorkerEnv, hayonEnv } from './hayon.js';
import { HttpFakePlatform } from './hayon-platform.js';

const env = JSON.parse(process.env.BENCH_COMPARE_WORKER ?? '') as ScaledWorkerEnv;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hayon-compare-worker-'));
const config = envToConfig({ ...hayonEnv(env.concurrency, env.pacing), dataDir });
const ctx = await AppContext.fromConfig(
  config,
  { secretKey: Buffer.from(env.secretKey, 'hex'), previousSecretKeys: [] },
  {
    store: new MongoStore({ url: env.mongoUrl, dbName: env.dbName }),
    transport: new RabbitTransport({ url: env.amqpUrl, prefix: env.prefix }),
    platforms: { bluesky: new HttpFakePlatform(env.platformUrl) },
    log: createLogger(config.logLevel),
  },
);
const role = new WorkerRole(ctx);
await role.start();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.once('SIGTERM', async () => {
  await role.stop();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
});
