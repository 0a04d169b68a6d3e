import type { StoreAwayReason } from '../../core/store-unavailable.js';

/**
 * better-sqlite3's errors that mean the file cannot take a write now, not that the query is
 * wrong: locked by another connection past busy_timeout (`SQLITE_BUSY*`, `SQLITE_LOCKED*`), the
 * disk full (`SQLITE_FULL`), the file unwritable or failing (`SQLITE_IOERR*`, `SQLITE_READONLY*`,
 * `SQLITE_CANTOPEN*`). Extended codes (`SQLITE_IOERR_WRITE`) count with their primary code.
 */
export function sqliteAwayReason(e: unknown): StoreAwayReason | undefined {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  if (!code.startsWith('SQLITE_')) return undefined;
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0];
  switch (primary) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'busy';
    case 'SQLITE_FULL':
      return 'full';
    case 'SQLITE_IOERR':
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return 'not_answering';
    default:
      return undefined;
  }
}
