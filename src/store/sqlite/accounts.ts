import type Database from 'better-sqlite3';
import type { Account, AccountHealth, Delivery } from '../../core/post.js';
import { type AccountRow, type DeliveryRow, fromAccount, insertSql, toAccount, toDelivery } from './rows.js';

/** Accounts on the SQLite store's connection: each change one statement. */
export class SqliteAccounts {
  constructor(private readonly sql: (source: string) => Database.Statement) {}

  createAccount(account: Account): void {
    const row = fromAccount(account);
    this.sql(insertSql('accounts', Object.keys(row))).run(row);
  }

  getAccount(id: string): Account | null {
    const row = this.sql('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  listAccounts(workspaceId: string): Account[] {
    const rows = this.sql('SELECT * FROM accounts WHERE workspace_id = ? ORDER BY created_at, id').all(workspaceId);
    return (rows as AccountRow[]).map(toAccount);
  }

  updateAccountCredentials(id: string, credentials: string, at: number, ifCurrent?: string): void {
    const guard = ifCurrent === undefined ? '' : ' AND credentials = @ifCurrent';
    this.sql(`UPDATE accounts SET credentials = @credentials, updated_at = @at WHERE id = @id${guard}`).run({
      credentials,
      at,
      id,
      ...(ifCurrent === undefined ? {} : { ifCurrent }),
    });
  }

  setAccountHealth(id: string, health: AccountHealth, reason: string | undefined, at: number): void {
    this.sql('UPDATE accounts SET health = ?, health_reason = ?, updated_at = ? WHERE id = ?').run(
      health,
      reason ?? null,
      at,
      id,
    );
  }

  markAccountUnhealthy(id: string, health: Exclude<AccountHealth, 'active'>, reason: string, at: number): boolean {
    const sql = "UPDATE accounts SET health = ?, health_reason = ?, updated_at = ? WHERE id = ? AND health = 'active'";
    return this.sql(sql).run(health, reason, at, id).changes === 1;
  }

  wakeWaitingDeliveries(accountId: string, now: number): number {
    const sql = `UPDATE deliveries SET due_at = ?, updated_at = ?
      WHERE account_id = ? AND state = 'scheduled' AND json_extract(last_error, '$.kind') = 'auth'`;
    return this.sql(sql).run(now, now, accountId).changes;
  }

  waitingDeliveriesOf(accountId: string): Delivery[] {
    const sql = `SELECT * FROM deliveries WHERE account_id = ?
      AND state IN ('scheduled', 'queued', 'publishing', 'unknown') ORDER BY due_at, id`;
    return (this.sql(sql).all(accountId) as DeliveryRow[]).map(toDelivery);
  }

  cancelDeliveriesOf(accountId: string, at: number): number {
    const sql = `UPDATE deliveries SET state = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
      WHERE account_id = ? AND state IN ('scheduled', 'queued', 'unknown')`;
    return this.sql(sql).run(at, accountId).changes;
  }

  removeAccount(id: string): boolean {
    return this.sql('DELETE FROM accounts WHERE id = ?').run(id).changes === 1;
  }

  /** A delivery's posts were taken down: `published | failed` → `deleted` (a compare-and-set). */
  markDeliveryDeleted(id: string, at: number): boolean {
    const sql = `UPDATE deliveries SET state = 'deleted', updated_at = ? WHERE id = ? AND state IN ('published', 'failed')`;
    return this.sql(sql).run(at, id).changes === 1;
  }
}
