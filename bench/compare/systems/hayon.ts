// hayon as users run it, on the bench's fake platform: embedded (one process, SQLite, in-process
// transport) and scaled (MongoDB store on DocumentDB, RabbitMQ transport, `hayon worker` processes).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { MongoClient } from 'mongodb';
import type { AppContext } from '../../../src/app/app-context.js';
import type { HayonEnv } from '../../../src/config/env.js';
import { RabbitTransport } from '../../../src/queue/rabbitmq/rabbit-transport.js';
import { deleteTopology, names } from '../../../src/queue/rabbitmq/topology.js';
import { MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { startHayon, type TestHayon } from '../../../test/harness.js';
import { HttpFakePlatform } from './hayon-platform.js';
import type { System, SystemSpec } from './system.js';

/**
 * Posts go round-robin to this many Bluesky accounts. hayon paces each account under Bluesky's
 * write limits (5,000 points an hour, 3 per post), on by default: a few thousand posts to one
 * account would be held for the next hour, as they should be against the real Bluesky.
 */
const accounts = 8;

/** What the scaled worker processes need to join the main process (hayon-worker.ts reads it). */
export interface ScaledWorkerEnv {
  mongoUrl: string;
  dbName: string;
  amqpUrl: string;
  prefix: string;
  platformUrl: string;
  secretKey: string;
  concurrency: number;
  pacing: boolean;
}

/** The hayon environment both kinds run with: hayon's defaults but for concurrency and logs. */
export function hayonEnv(concurrency: number, pacing: boolean): HayonEnv {
  return { logLevel: 'warn', workerConcurrency: String(concurrency), ...(pacing ? {} : { pacing: 'false' }) };
}

export function hayonEmbedded(pacing: boolean): SystemSpec {
  return {
    name: 'hayon-embedded',
    describe: (o) =>
      `one process: SQLite file, in-process transport, worker concurrency ${o.concurrency}, pacing ${pacing ? 'on' : 'off'}`,
    async start(o) {
      const h = await startHayon({
        worker: false,
        env: hayonEnv(o.concurrency, pacing),
        platforms: { bluesky: new HttpFakePlatform(o.platformUrl) },
      });
      return hayonSystem(h, {
        async startWorkers() {
          // What ServeRole.start does for the worker part of `hayon serve`.
          await h.ctx.worker.start();
          h.ctx.callbacks.start();
        },
        stop: () => h.stop(),
      });
    },
  };
}

export function hayonScaled(pacing: boolean, workers: number): SystemSpec {
  return {
    name: 'hayon-scaled',
    describe: (o) =>
      `DocumentDB + RabbitMQ; scheduler in the bench process, ${workers} worker process(es) × ${o.concurrency / workers}, pacing ${pacing ? 'on' : 'off'}`,
    async start(o) {
      if (o.concurrency % workers !== 0) throw new Error(`concurrency ${o.concurrency} does not split over ${workers}`);
      const service = (name: string) =>
        (JSON.parse(readFileSync(`.tmp/services/${name}.json`, 'utf8')) as { url: string }).url;
      const tag = randomBytes(3).toString('hex');
      const worker: ScaledWorkerEnv = {
        mongoUrl: service('mongodb'),
        dbName: `compare_hayon_${tag}`,
        amqpUrl: service('rabbitmq'),
        prefix: `compare_${tag}_`,
        platformUrl: o.platformUrl,
        secretKey: randomBytes(32).toString('hex'),
        concurrency: o.concurrency / workers,
        pacing,
      };
      // The bench process plays `hayon serve --no-worker`: posts are created here and its
      // scheduler moves due deliveries to RabbitMQ.
      const h = await startHayon({
        worker: false,
        secretKey: Buffer.from(worker.secretKey, 'hex'),
        env: hayonEnv(o.concurrency, pacing),
        platforms: { bluesky: new HttpFakePlatform(o.platformUrl) },
        store: new MongoStore({ url: worker.mongoUrl, dbName: worker.dbName }),
        transport: new RabbitTransport({ url: worker.amqpUrl, prefix: worker.prefix }),
      });
      const children: ChildProcess[] = [];
      return hayonSystem(h, {
        async startWorkers() {
          for (let i = 0; i < workers; i++) children.push(await spawnWorker(worker));
        },
        async stop() {
          for (const child of children) {
            child.kill('SIGTERM');
            if (child.exitCode === null) await once(child, 'exit');
          }
          await h.stop();
          await cleanUp(worker);
        },
      });
    },
  };
}

async function hayonSystem(
  h: TestHayon,
  lifecycle: { startWorkers(): Promise<void>; stop(): Promise<void> },
): Promise<System> {
  const targets = await addAccounts(h.ctx);
  let next = 0;
  return {
    startWorkers: lifecycle.startWorkers,
    async stop() {
      // Warnings of the process that creates and schedules, each kind once with its count.
      const warned = new Map<string, { n: number; err: unknown }>();
      for (const line of h.logs) {
        if (Number(line.level) < 40) continue;
        const seen = warned.get(String(line.msg)) ?? { n: 0, err: (line.err as { message?: string })?.message };
        seen.n++;
        warned.set(String(line.msg), seen);
      }
      for (const [msg, { n, err }] of warned)
        process.stderr.write(`[hayon] warned ${n}×: ${msg}${err ? ` (first: ${err})` : ''}\n`);
      await lifecycle.stop();
    },
    async create(dueAt) {
      const target = targets[next++ % targets.length]!;
      const out = await h.ctx.posts.create(
        {
          text: `compare ${next}`,
          targets: [target],
          ...(dueAt === null ? {} : { when: new Date(dueAt).toISOString() }),
        },
        { workspaceId: h.workspaceId, origin: { kind: 'api' } },
      );
      return out.value.deliveries[0]!.id;
    },
  };
}

async function addAccounts(ctx: AppContext): Promise<string[]> {
  const targets: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const account = await ctx.accounts.add('default', 'bluesky', { identifier: `compare${i}.test`, appPassword: 'pw' });
    targets.push(account.id);
  }
  return targets;
}

/** One `hayon worker` process (hayon-worker.ts); resolves once it consumes. */
async function spawnWorker(env: ScaledWorkerEnv): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./hayon-worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, BENCH_COMPARE_WORKER: JSON.stringify(env) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`a hayon worker exited (${code}) before it was ready`);
    }),
  ])) as [string];
  if (!line.includes('"ready"')) throw new Error(`a hayon worker said ${line}`);
  // Its warnings and errors, as they come.
  lines.on('line', (text) => {
    if (/"level":(4|5|6)0/.test(text)) process.stderr.write(`[hayon worker] ${text.slice(0, 400)}\n`);
  });
  return child;
}

/** Drops the run's database and its RabbitMQ queues and exchanges. */
async function cleanUp(env: ScaledWorkerEnv): Promise<void> {
  const client = await MongoClient.connect(env.mongoUrl);
  await client.db(env.dbName).dropDatabase();
  await client.close();
  const conn = await amqp.connect(env.amqpUrl);
  const ch = await conn.createChannel();
  await deleteTopology(ch, names(env.prefix));
  await conn.close();
}
