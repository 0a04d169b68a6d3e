import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { type StartOptions, startHayon, type TestHayon } from '../harness.js';

/** Writes zeros into `file` until the disk under it refuses (ENOSPC). */
export function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 512]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** A tmpfs of `size` mounted on a fresh folder, or undefined where mounting is not allowed (not root). */
export function tinyDisk(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'hayon-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

export function removeDisk(dir: string): void {
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The disk under `store`'s file full (`takeAway`: its WAL emptied first, so that the next write
 * has to grow a file, then `filler` written until ENOSPC), and room again (`bringBack`).
 */
export function fullDisk(store: SqliteStore, filler: string): StoreFault {
  return {
    async takeAway() {
      (store as unknown as { db: Database.Database }).db.pragma('wal_checkpoint(TRUNCATE)');
      fillDisk(filler);
    },
    async bringBack() {
      rmSync(filler, { force: true });
    },
  };
}

/**
 * hayon started with `options`, publishing to a FakePlatform `bluesky` (posts up to 300
 * characters, answering after `latencyMs`) with one account on it, alice.test: what every store
 * fault cell posts to.
 */
export async function hayonWithAlice(
  options: Omit<StartOptions, 'platforms'> = {},
  latencyMs = 0,
): Promise<{ h: TestHayon; bluesky: FakePlatform }> {
  const bluesky = new FakePlatform('bluesky', { maxLength: 300, ...(latencyMs > 0 ? { latencyMs } : {}) });
  const h = await startHayon({ ...options, platforms: { bluesky } });
  await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  return { h, bluesky };
}

/** The path of a harness's SQLite file (the embedded default). */
export function sqlitePathOf(h: TestHayon): string {
  const { store } = h.ctx.config;
  if (store.kind !== 'sqlite') throw new Error('expected the SQLite store');
  return store.path;
}

/** The store taken away from one hayon (`takeAway`) and brought back (`bringBack`). */
export interface StoreFault {
  takeAway(): Promise<void>;
  bringBack(): Promise<void>;
}

/** SQLite's write lock held by another connection to the file at `path` (another process's long write). */
export function lockedSqlite(path: string): StoreFault {
  let locker: Database.Database | undefined;
  return {
    async takeAway() {
      locker = new Database(path);
      locker.exec('BEGIN IMMEDIATE');
    },
    async bringBack() {
      locker?.exec('ROLLBACK');
      locker?.close();
    },
  };
}

/**
 * For a describe: a 16 MB tmpfs mounted before its tests and removed after them. The function
 * returned gives a SQLite store on a fresh folder of it and the fault that fills it, or undefined
 * where mounting is not allowed (not root).
 */
export function sqliteOnTinyDisk(): () => { store: SqliteStore; fault: StoreFault } | undefined {
  let mount: string | undefined;
  beforeAll(() => {
    mount = tinyDisk('16m');
  });
  afterAll(() => {
    if (mount) removeDisk(mount);
  });
  return () => {
    if (!mount) return undefined;
    const dir = mkdtempSync(join(mount, 'cell-'));
    const store = new SqliteStore({ path: join(dir, 'hayon.db'), busyTimeoutMs: 3000 });
    return { store, fault: fullDisk(store, join(dir, 'filler')) };
  };
}

/** Why a disk-full cell is skipped where no tmpfs could be mounted. */
export const noTinyDisk = 'no tmpfs could be mounted here (mount -t tmpfs needs root)';
