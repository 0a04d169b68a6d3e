import type Database from 'better-sqlite3';
import type { WebLoginLink, WebSessionRecord, WebSessionStore } from '../ports/web-session-store.js';

const day = 86_400_000;

/** Web sign-in links and sessions on the SQLite store's connection: JSON documents by hash. */
export class SqliteWebSessions implements WebSessionStore {
  constructor(private readonly sql: (source: string) => Database.Statement) {}

  async putWebLogin(link: WebLoginLink): Promise<void> {
    this.sql('DELETE FROM web_logins WHERE expires_at < ?').run(link.createdAt - day);
    this.sql('INSERT INTO web_logins (hash, expires_at, used_at, data) VALUES (?, ?, NULL, ?)').run(
      link.hash,
      link.expiresAt,
      JSON.stringify(link),
    );
  }

  async useWebLogin(hash: string, at: number): Promise<{ link: WebLoginLink; firstUse: boolean } | null> {
    // One conditional UPDATE: of two callers, one changes the row.
    const first = this.sql('UPDATE web_logins SET used_at = ? WHERE hash = ? AND used_at IS NULL RETURNING data').get(
      at,
      hash,
    ) as { data: string } | undefined;
    if (first) return { link: JSON.parse(first.data) as WebLoginLink, firstUse: true };
    const row = this.sql('SELECT used_at, data FROM web_logins WHERE hash = ?').get(hash) as
      | { used_at: number; data: string }
      | undefined;
    return row ? { link: { ...(JSON.parse(row.data) as WebLoginLink), usedAt: row.used_at }, firstUse: false } : null;
  }

  async putWebSession(session: WebSessionRecord): Promise<void> {
    this.sql('DELETE FROM web_sessions WHERE expires_at < ?').run(session.createdAt);
    this.sql('INSERT INTO web_sessions (hash, expires_at, last_seen_at, data) VALUES (?, ?, ?, ?)').run(
      session.hash,
      session.expiresAt,
      session.lastSeenAt,
      JSON.stringify(session),
    );
  }

  async getWebSession(hash: string): Promise<WebSessionRecord | null> {
    const row = this.sql('SELECT last_seen_at, data FROM web_sessions WHERE hash = ?').get(hash) as
      | { last_seen_at: number; data: string }
      | undefined;
    return row ? { ...(JSON.parse(row.data) as WebSessionRecord), lastSeenAt: row.last_seen_at } : null;
  }

  async touchWebSession(hash: string, at: number): Promise<void> {
    this.sql('UPDATE web_sessions SET last_seen_at = ? WHERE hash = ?').run(at, hash);
  }

  async deleteWebSession(hash: string): Promise<boolean> {
    return this.sql('DELETE FROM web_sessions WHERE hash = ?').run(hash).changes > 0;
  }
}
