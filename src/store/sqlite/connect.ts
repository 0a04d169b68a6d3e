import type Database from 'better-sqlite3';
import type { ConnectState, OAuthApp } from '../../core/connect.js';

/** Connect flows and OAuth clients on the SQLite store's connection: JSON documents by id. */
export class SqliteConnect {
  constructor(private readonly sql: (source: string) => Database.Statement) {}

  putConnectState(state: ConnectState): void {
    this.sql('DELETE FROM connect_states WHERE expires_at < ?').run(state.createdAt);
    this.sql('INSERT INTO connect_states (id, expires_at, data) VALUES (?, ?, ?)').run(
      state.id,
      state.expiresAt,
      JSON.stringify(state),
    );
  }

  getConnectState(id: string): ConnectState | null {
    const row = this.sql('SELECT data FROM connect_states WHERE id = ?').get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as ConnectState) : null;
  }

  updateConnectState(id: string, data: Record<string, unknown>): boolean {
    const current = this.getConnectState(id);
    if (!current) return false;
    const next = { ...current, data: { ...current.data, ...data } };
    return this.sql('UPDATE connect_states SET data = ? WHERE id = ?').run(JSON.stringify(next), id).changes > 0;
  }

  takeConnectState(id: string): ConnectState | null {
    const row = this.sql('DELETE FROM connect_states WHERE id = ? RETURNING data').get(id) as
      | { data: string }
      | undefined;
    return row ? (JSON.parse(row.data) as ConnectState) : null;
  }

  getOAuthApp(key: string): OAuthApp | null {
    const row = this.sql('SELECT data FROM oauth_apps WHERE key = ?').get(key) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as OAuthApp) : null;
  }

  listOAuthApps(): OAuthApp[] {
    const rows = this.sql('SELECT data FROM oauth_apps ORDER BY key').all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as OAuthApp);
  }

  resealOAuthApp(key: string, clientSecret: string, ifCurrent: string): boolean {
    const current = this.getOAuthApp(key);
    if (!current || current.clientSecret !== ifCurrent) return false;
    const next = JSON.stringify({ ...current, clientSecret });
    // The JSON as read is the condition: a concurrent change makes this a no-op.
    return (
      this.sql('UPDATE oauth_apps SET data = ? WHERE key = ? AND data = ?').run(next, key, JSON.stringify(current))
        .changes === 1
    );
  }

  putOAuthApp(app: OAuthApp): OAuthApp {
    this.sql('INSERT INTO oauth_apps (key, data) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
      app.key,
      JSON.stringify(app),
    );
    return this.getOAuthApp(app.key) as OAuthApp;
  }
}
