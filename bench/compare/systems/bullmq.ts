// BullMQ delayed jobs on Debian's redis-server (setup.sh), one Worker in the bench process with
// the same concurrency as hayon. Defaults otherwise: what a BullMQ user gets.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { publishCall } from '../fake-platform-server.js';
import type { SystemSpec } from './system.js';

interface PublishJob {
  key: string;
}

export const bullmq: SystemSpec = {
  name: 'bullmq',
  describe: (o) => `BullMQ 6.7.0 on redis-server, one Worker in the bench process, concurrency ${o.concurrency}`,
  async start(o) {
    const url = (JSON.parse(readFileSync('.tmp/services/redis.json', 'utf8')) as { url: string }).url;
    const tag = randomBytes(3).toString('hex');
    const name = `compare-${tag}`;
    // BullMQ's ESM build cannot load ioredis by itself (no `require`): it takes client instances.
    // Workers need `maxRetriesPerRequest: null` (BullMQ refuses blocking commands otherwise).
    const connections = [new Redis(url), new Redis(url, { maxRetriesPerRequest: null })] as const;
    const queue = new Queue<PublishJob>(name, { connection: connections[0] });
    let worker: Worker<PublishJob> | undefined;
    let next = 0;
    return {
      async startWorkers() {
        worker = new Worker<PublishJob>(name, (job) => publishCall(o.platformUrl, job.data.key), {
          connection: connections[1],
          concurrency: o.concurrency,
        });
        await worker.waitUntilReady();
      },
      async create(dueAt) {
        const key = `bullmq-${tag}-${next++}`;
        const delay = dueAt === null ? 0 : Math.max(0, dueAt - Date.now());
        await queue.add('publish', { key }, { jobId: key, ...(delay > 0 ? { delay } : {}) });
        return key;
      },
      async stop() {
        await worker?.close();
        await queue.obliterate({ force: true });
        await queue.close();
        // Connections passed in are the caller's to close.
        for (const c of connections) await c.quit();
      },
    };
  },
};
