import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../core/audit.js';
import type { ApiToken, Workspace, WorkspaceSettings } from '../../core/post.js';
import { type ApiTokenRow, fromApiToken, insertSql, toApiToken, toWorkspace, type WorkspaceRow } from './rows.js';

/**
 * Token listing and revocation, the workspace list and the audit log on the SQLite store's
 * connection. An audit entry is one JSON document; only its workspace and time are columns.
 */
export class SqliteTokensAudit {
  constructor(private readonly sql: (source: string) => Database.Statement) {}

  ensureWorkspace(workspace: Workspace): Workspace {
    this.sql('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING').run(
      workspace.id,
      workspace.name,
      workspace.createdAt,
    );
    return this.getWorkspace(workspace.id) as Workspace;
  }

  getWorkspace(id: string): Workspace | null {
    const row = this.sql('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
    return row ? toWorkspace(row) : null;
  }

  updateWorkspaceSettings(id: string, settings: WorkspaceSettings): Workspace | null {
    const current = this.getWorkspace(id);
    if (!current) return null;
    const merged = { ...current.settings, ...settings };
    this.sql('UPDATE workspaces SET settings = ? WHERE id = ?').run(JSON.stringify(merged), id);
    return { ...current, settings: merged };
  }

  createApiToken(token: ApiToken): void {
    const row = fromApiToken(token);
    this.sql(insertSql('api_tokens', Object.keys(row))).run(row);
  }

  findApiTokenByHash(hash: string): ApiToken | null {
    const row = this.sql('SELECT * FROM api_tokens WHERE hash = ?').get(hash) as ApiTokenRow | undefined;
    return row ? toApiToken(row) : null;
  }

  touchApiToken(id: string, at: number): void {
    this.sql('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  listApiTokens(workspaceId: string): ApiToken[] {
    const rows = this.sql('SELECT * FROM api_tokens WHERE workspace_id = ? ORDER BY created_at, id').all(
      workspaceId,
    ) as ApiTokenRow[];
    return rows.map(toApiToken);
  }

  revokeApiToken(id: string, at: number): boolean {
    return this.sql('UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(at, id).changes > 0;
  }

  listWorkspaces(): Workspace[] {
    return (this.sql('SELECT * FROM workspaces ORDER BY created_at, id').all() as WorkspaceRow[]).map(toWorkspace);
  }

  addAudit(entry: AuditEntry): void {
    this.sql('INSERT INTO audit (id, workspace_id, at, data) VALUES (?, ?, ?, ?)').run(
      entry.id,
      entry.workspaceId,
      entry.at,
      JSON.stringify(entry),
    );
  }

  listAudit(workspaceId: string, options: { limit: number; before?: number }): AuditEntry[] {
    const rows = this.sql(
      'SELECT data FROM audit WHERE workspace_id = ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?',
    ).all(workspaceId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as AuditEntry);
  }
}
