// Agenda 6 with its MongoDB backend on the same DocumentDB as hayon-scaled (a fresh database per
// run), in the bench process, with the same concurrency as hayon. Agenda polls: every
// `processEvery` it locks the jobs due before the next poll and sets a timer for each.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import { MongoClient } from 'mongodb';
import { mongoDatabaseUrl } from '../../../test/mongo-server.js';
import { publishCall } from '../fake-platform-server.js';
import type { SystemSpec } from './system.js';

interface PublishJob {
  key: string;
}

/** Agenda's default poll interval, what its users get unless they set one. */
export const agendaDefaultProcessEveryMs = 5_000;

export interface AgendaTuning {
  /** How often Agenda looks for due jobs (and how far ahead it locks them). */
  processEveryMs: number;
  /**
   * Lock jobs in no particular order (`sort: {}`) instead of by `nextRunAt` (a tuning first made
   * for FerretDB 1.24, which read and sorted the whole collection once per job locked).
   */
  unsorted: boolean;
  /** Most jobs one process holds locked at once (0: no limit, Agenda's default). */
  lockLimit: number;
}

export const agendaDefaults = {
  processEveryMs: agendaDefaultProcessEveryMs,
  unsorted: false,
  lockLimit: 0,
} as const satisfies AgendaTuning;

export function agenda(name: string, tuning: AgendaTuning): SystemSpec {
  const { processEveryMs, unsorted, lockLimit } = tuning;
  return {
    name,
    describe: (o) =>
      `Agenda 6.2.6 + @agendajs/mongo-backend on DocumentDB, in the bench process, processEvery ${processEveryMs} ms,` +
      ` ${unsorted ? 'sort {}' : 'default sort'}, lockLimit ${lockLimit}, maxConcurrency = defaultConcurrency = ${o.concurrency}`,
    async start(o) {
      const base = (JSON.parse(readFileSync('.tmp/services/mongodb.json', 'utf8')) as { url: string }).url;
      const tag = randomBytes(3).toString('hex');
      const dbName = `compare_agenda_${tag}`;
      const agenda = new Agenda({
        backend: new MongoBackend({
          address: mongoDatabaseUrl(base, dbName),
          ...(unsorted ? { sort: {} } : {}),
        }),
        processEvery: processEveryMs,
        maxConcurrency: o.concurrency,
        defaultConcurrency: o.concurrency,
        lockLimit,
      });
      const failures: unknown[] = [];
      let stopping = false;
      // A poll cut short by stop() reports "client was closed": not a failure of the run.
      agenda.on('error', (err: unknown) => stopping || failures.push(err));
      agenda.define<PublishJob>('publish', async (job) => {
        await publishCall(o.platformUrl, job.attrs.data.key);
      });
      await agenda.ready;
      let next = 0;
      return {
        startWorkers: () => agenda.start(),
        async create(dueAt) {
          const key = `agenda-${tag}-${next++}`;
          if (dueAt === null) await agenda.now('publish', { key });
          else await agenda.schedule(new Date(dueAt), 'publish', { key });
          return key;
        },
        async stop() {
          stopping = true;
          await agenda.stop(true);
          const client = await MongoClient.connect(base);
          await client.db(dbName).dropDatabase();
          await client.close();
          if (failures.length > 0) {
            const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
            console.warn(`${name}: ${failures.length} errors reported by Agenda, the first: ${first.split('\n')[0]}`);
          }
        },
      };
    },
  };
}
