import { execFileSync } from 'node:child_process';
import type Database from 'better-sqlite3';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
export function fullDisk(
  store: SqliteStore,
  filler: string,
): { takeAway(): Promise<void>; bringBack(): Promise<void> } {
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
