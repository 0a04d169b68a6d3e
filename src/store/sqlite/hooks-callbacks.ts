import type Database from 'better-sqlite3';
import type { Callback, CallbackOutcome, Hook, HookPatch } from '../../core/hook.js';
import { byDueThenId, type OutboxRow, outboxFields } from './outbox-rows.js';

interface HookRow {
  id: string;
  workspace_id: string;
  created_at: number;
  data: string;
}

interface CallbackRow extends OutboxRow {
  id: string;
  post_id: string;
  workspace_id: string;
  url: string;
  body: string;
  signer: string;
  state: Callback['state'];
}

const toHook = (row: HookRow): Hook => JSON.parse(row.data) as Hook;

function toCallback(row: CallbackRow): Callback {
  return {
    id: row.id,
    postId: row.post_id,
    workspaceId: row.workspace_id,
    url: row.url,
    body: row.body,
    signer: JSON.parse(row.signer) as Callback['signer'],
    state: row.state,
    ...outboxFields(row),
  };
}

/**
 * Hooks and callbacks on the SQLite store's connection. A hook is one JSON document (nothing
 * queries inside it); a callback's state change is one conditional UPDATE, as for deliveries.
 */
export class SqliteHooksCallbacks {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: (source: string) => Database.Statement,
  ) {}

  createHook(hook: Hook): void {
    this.sql('INSERT INTO hooks (id, workspace_id, created_at, data) VALUES (?, ?, ?, ?)').run(
      hook.id,
      hook.workspaceId,
      hook.createdAt,
      JSON.stringify(hook),
    );
  }

  getHook(id: string): Hook | null {
    const row = this.sql('SELECT * FROM hooks WHERE id = ?').get(id) as HookRow | undefined;
    return row ? toHook(row) : null;
  }

  listHooks(workspaceId: string): Hook[] {
    const rows = this.sql('SELECT * FROM hooks WHERE workspace_id = ? ORDER BY created_at, id').all(
      workspaceId,
    ) as HookRow[];
    return rows.map(toHook);
  }

  updateHook(id: string, patch: HookPatch, at: number): Hook | null {
    return this.db
      .transaction(() => {
        const current = this.getHook(id);
        if (!current) return null;
        // lastUsedAt alone is bookkeeping, not a change of the hook.
        const changed = Object.keys(patch).some((k) => k !== 'lastUsedAt');
        const next: Hook = { ...current, ...patch, ...(changed ? { updatedAt: at } : {}) };
        this.sql('UPDATE hooks SET data = ? WHERE id = ?').run(JSON.stringify(next), id);
        return next;
      })
      .immediate();
  }

  deleteHook(id: string): boolean {
    return this.sql('DELETE FROM hooks WHERE id = ?').run(id).changes > 0;
  }

  addCallback(c: Callback): boolean {
    const result = this.sql(
      `INSERT INTO callbacks (id, post_id, workspace_id, url, body, signer, state, attempts, due_at,
        lease_until, last_error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ).run(
      c.id,
      c.postId,
      c.workspaceId,
      c.url,
      c.body,
      JSON.stringify(c.signer),
      c.state,
      c.attempts,
      c.dueAt,
      c.leaseUntil ?? null,
      c.lastError ?? null,
      c.createdAt,
      c.updatedAt,
    );
    return result.changes > 0;
  }

  takeDueCallbacks(now: number, leaseUntil: number, limit: number): Callback[] {
    // One statement: SQLite runs it under its write lock, so two processes never take the same row.
    const rows = this.sql(
      `UPDATE callbacks SET state = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
       WHERE id IN (
         SELECT id FROM callbacks WHERE state = 'pending' AND due_at <= ?
         UNION ALL
         SELECT id FROM callbacks WHERE state = 'sending' AND lease_until < ?
         LIMIT ?)
       RETURNING *`,
    ).all(leaseUntil, now, now, now, limit) as CallbackRow[];
    return rows.map(toCallback).sort(byDueThenId);
  }

  finishCallback(id: string, outcome: CallbackOutcome, at: number): void {
    if (outcome.kind === 'sent') {
      this.sql(
        "UPDATE callbacks SET state = 'sent', lease_until = NULL, last_error = NULL, updated_at = ? WHERE id = ?",
      ).run(at, id);
    } else if (outcome.kind === 'retry') {
      this.sql(
        "UPDATE callbacks SET state = 'pending', due_at = ?, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ?",
      ).run(outcome.dueAt, outcome.error, at, id);
    } else {
      this.sql(
        "UPDATE callbacks SET state = 'failed', lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ?",
      ).run(outcome.error, at, id);
    }
  }

  listCallbacks(postId: string): Callback[] {
    const rows = this.sql('SELECT * FROM callbacks WHERE post_id = ? ORDER BY created_at, id').all(
      postId,
    ) as CallbackRow[];
    return rows.map(toCallback);
  }

  nextCallbackDueAt(): number | null {
    const row = this.sql("SELECT MIN(due_at) AS at FROM callbacks WHERE state = 'pending'").get() as {
      at: number | null;
    };
    return row.at;
  }
}
