import type Database from 'better-sqlite3';
import type { AttemptRecord, DeliveryBreakdownRow } from '../../core/history.js';
import type { PaceLedger } from '../../core/pacing.js';
import { deliveryStates } from '../../core/post.js';

/** The error kinds a delivery is retried on: a `failed` one with such an error gave up and is parked. */
const passing = "('transient', 'rate_limited', 'internal')";

/** Attempt history, the per-platform breakdown and pacing ledgers on the SQLite store's connection. */
export class SqliteHistoryPacing {
  constructor(private readonly sql: (source: string) => Database.Statement) {}

  addAttemptRecord(record: AttemptRecord): void {
    this.sql('INSERT OR IGNORE INTO attempts (id, post_id, started_at, data) VALUES (?, ?, ?, ?)').run(
      record.id,
      record.postId,
      record.startedAt,
      JSON.stringify(record),
    );
  }

  listAttemptRecords(postId: string): AttemptRecord[] {
    const rows = this.sql('SELECT data FROM attempts WHERE post_id = ? ORDER BY started_at, id').all(postId) as {
      data: string;
    }[];
    return rows.map((r) => JSON.parse(r.data) as AttemptRecord);
  }

  countDeliveries(): Record<string, number> {
    const rows = this.sql('SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state').all() as {
      state: string;
      n: number;
    }[];
    const counts: Record<string, number> = Object.fromEntries(deliveryStates.map((s) => [s, 0]));
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  deliveryBreakdown(): DeliveryBreakdownRow[] {
    const rows = this.sql(
      `SELECT platform,
              CASE WHEN state = 'failed' AND json_extract(last_error, '$.kind') IN ${passing} THEN 'parked' ELSE state END AS s,
              COUNT(*) AS n,
              MIN(CASE WHEN state IN ('scheduled', 'queued', 'publishing', 'unknown') THEN due_at END) AS oldest
         FROM deliveries GROUP BY platform, s ORDER BY platform, s`,
    ).all() as {
      platform: DeliveryBreakdownRow['platform'];
      s: DeliveryBreakdownRow['state'];
      n: number;
      oldest: number | null;
    }[];
    return rows.map((r) => ({ platform: r.platform, state: r.s, count: r.n, oldestDueAt: r.oldest }));
  }

  getPacing(accountId: string): PaceLedger | null {
    const row = this.sql('SELECT version, spent FROM pacing WHERE account_id = ?').get(accountId) as
      | { version: number; spent: string }
      | undefined;
    return row ? { accountId, version: row.version, spent: JSON.parse(row.spent) as PaceLedger['spent'] } : null;
  }

  putPacing(ledger: PaceLedger): boolean {
    const spent = JSON.stringify(ledger.spent);
    const result =
      ledger.version === 1
        ? this.sql('INSERT INTO pacing (account_id, version, spent) VALUES (?, 1, ?) ON CONFLICT DO NOTHING').run(
            ledger.accountId,
            spent,
          )
        : this.sql('UPDATE pacing SET version = ?, spent = ? WHERE account_id = ? AND version = ?').run(
            ledger.version,
            spent,
            ledger.accountId,
            ledger.version - 1,
          );
    return result.changes === 1;
  }
}
