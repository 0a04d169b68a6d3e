import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';

/** Below this many free bytes beside the database file, a write is taken to fail (disk full). */
const minFreeBytes = 64 * 1024;

function fullError(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}

/**
 * Throws what a write would meet now, without writing: the write lock held by another
 * connection for more than `waitMs` (`SQLITE_BUSY`), the file at its `max_page_count` with no
 * free page, or the disk under it full (`SQLITE_FULL`). For readiness: one short `BEGIN
 * IMMEDIATE … ROLLBACK`, which blocks the process at most `waitMs` (better-sqlite3 is synchronous).
 */
export function probeWritable(db: Database.Database, path: string, waitMs: number): void {
  if (!db.inTransaction) {
    const previous = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma(`busy_timeout = ${Math.trunc(waitMs)}`);
    try {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
    } finally {
      db.pragma(`busy_timeout = ${previous}`);
    }
  }
  const pages = db.pragma('page_count', { simple: true }) as number;
  const max = db.pragma('max_page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (pages >= max && free === 0) throw fullError();
  if (path !== '' && path !== ':memory:') {
    const disk = statfsSync(dirname(path));
    if (disk.bavail * disk.bsize < minFreeBytes) throw fullError();
  }
}
