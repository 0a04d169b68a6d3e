import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { fillDisk, removeDisk, tinyDisk } from './store-faults.js';
import { recordCell } from './matrix.js';
import { mongoTestServer } from '../mongo-server.js';
import { type MongoAway, mongoAway } from './mongo-proxy.js';
import {
  apiCell,
  discordCell,
  type Rig,
  type StoreFault,
  slackCell,
  startRig,
  webhookCell,
} from './store-away-cells.js';

// The fault matrix at ingest, store column: the store taken away for real (another connection
// holding SQLite's write lock past busy_timeout, SQLite's disk full, MongoDB's connection cut by
// a TCP proxy), then brought back. Each cell: what the user sees while it is away (a 503 with
// Retry-After, an ephemeral in Slack or Discord), that nothing was half-written, and that the
// same request once it is back makes exactly one post.
const cells = [
  ['HTTP API', apiCell],
  ['Slack /post', slackCell],
  ['Discord /post', discordCell],
  ['webhook', webhookCell],
] as const;
const cellTimeout = 60_000;

describe('store away · ingest · SQLite locked', () => {
  for (const [surface, cell] of cells) {
    it(`store away · ingest · ${surface} · SQLite locked`, { timeout: cellTimeout }, async () => {
      recordCell('SQLite locked', 'ingest');
      const rig = await startRig();
      const { store } = rig.h.ctx.config;
      if (store.kind !== 'sqlite') throw new Error('expected the SQLite store');
      let locker: Database.Database | undefined;
      const fault: StoreFault = {
        says: /the database is busy/,
        // Another process's write transaction, held past hayon's busy_timeout.
        async takeAway() {
          locker = new Database(store.path);
          locker.exec('BEGIN IMMEDIATE');
        },
        async bringBack() {
          locker?.exec('ROLLBACK');
          locker?.close();
        },
      };
      try {
        await cell(rig, fault);
      } finally {
        if (locker?.open) locker.close();
        await rig.stop();
      }
    });
  }
});

describe('store away · ingest · SQLite disk full', () => {
  let mount: string | undefined;
  beforeAll(() => {
    // A real full disk needs a small file system: a tmpfs, which only root can mount. SQLite's
    // max_page_count is no stand-in: a small row still fits in the pages a file already has.
    mount = tinyDisk('16m');
  });
  afterAll(() => {
    if (!mount) return;
    removeDisk(mount);
  });

  for (const [surface, cell] of cells) {
    it(`store away · ingest · ${surface} · SQLite disk full`, { timeout: cellTimeout }, async (t) => {
      recordCell('SQLite disk full', 'ingest');
      if (!mount) return t.skip('no tmpfs could be mounted here (mount -t tmpfs needs root)');
      const dir = mkdtempSync(join(mount, 'cell-'));
      const path = join(dir, 'hayon.db');
      const store = new SqliteStore({ path, busyTimeoutMs: 3000 });
      const filler = join(dir, 'filler');
      const db = () => (store as unknown as { db: Database.Database }).db;
      const fault: StoreFault = {
        says: /disk of the database is full/,
        async takeAway() {
          // The WAL emptied first, so that the next write has to grow a file.
          db().pragma('wal_checkpoint(TRUNCATE)');
          fillDisk(filler);
        },
        async bringBack() {
          rmSync(filler, { force: true });
        },
      };
      const rig = await startRig(store);
      try {
        await cell(rig, fault);
      } finally {
        await fault.bringBack();
        await rig.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

const mongo = mongoTestServer();

describe.skipIf(mongo.skip !== undefined)('store away · ingest · MongoDB down', () => {
  const dbName = `hayon_store_away_${process.pid}_${Date.now()}`;
  let away: MongoAway;
  let rig: Rig;
  let fault: StoreFault;

  // One database for the four cells: DocumentDB takes about 2 s per index build.
  beforeAll(async () => {
    away = await mongoAway(mongo.url ?? '', dbName);
    rig = await startRig(away.store);
    fault = { says: /the database is not answering/, ...away.fault };
  }, 300_000);
  afterAll(async () => {
    await away?.fault.bringBack();
    await rig?.stop();
    await away?.dispose();
  }, 60_000);

  for (const [surface, cell] of cells) {
    it(`store away · ingest · ${surface} · MongoDB down`, { timeout: cellTimeout }, async () => {
      recordCell('MongoDB down', 'ingest');
      try {
        await cell(rig, fault);
      } finally {
        await away.fault.bringBack();
      }
    });
  }
});
