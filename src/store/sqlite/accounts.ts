import type Database from 'better-sqlite3';
import type { Account, AccountHealth } from '../../core/post.js';
import { type AccountRow, fromAccount, insertSql, toAccount } from './rows.js';

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
}
