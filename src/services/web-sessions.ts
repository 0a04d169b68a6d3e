import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { WebSessionRecord, WebSessionStore } from '../store/ports/web-session-store.js';
import type { AuditLog } from './audit-log.js';

/** A sign-in link works this long after it is handed out. */
export const webLinkTtlMs = 15 * 60_000;
/** `lastSeenAt` is written at most this often (not on every request). */
const touchEveryMs = 60_000;

/** A signed-in browser: bound to one workspace, until `expiresAt`. */
export interface WebSession {
  /** The SHA-256 of the cookie (never the cookie itself). */
  id: string;
  workspaceId: string;
  /** Who acts (kind `web`), for the audit log. */
  actor: Actor;
  /** Every form carries it as `_csrf`; a script sends it as `x-csrf-token`. */
  csrfToken: string;
  /** The sooner of the idle and the absolute end. */
  expiresAt: number;
}

/** What a link gave: a session and the cookie's value, or why not. */
export type Redeemed =
  | { ok: true; session: WebSession; cookie: string }
  | { ok: false; reason: 'expired' | 'used' | 'unknown' };

export interface WebSessionsDeps {
  store: WebSessionStore;
  clock: Clock;
  audit: Pick<AuditLog, 'record'>;
  /** `HAYON_PUBLIC_URL`: where the links point. */
  publicUrl: string;
  idleMs: number;
  absoluteMs: number;
}

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

/**
 * Signing in to the web page without passwords: a one-time link (`hayon web login`, `/hayon web`)
 * opens a session bound to the workspace and to who asked for the link. Only SHA-256 hashes of
 * the link's token and of the session cookie are stored.
 */
export class WebSessions {
  constructor(private readonly deps: WebSessionsDeps) {}

  /** A link that opens one session within 15 minutes, acting as `askedBy`. */
  async createLink(workspaceId: string, askedBy: Actor): Promise<{ url: string; expiresAt: number }> {
    const token = secret();
    const createdAt = this.deps.clock();
    const expiresAt = createdAt + webLinkTtlMs;
    await this.deps.store.putWebLogin({ hash: sha256(token), workspaceId, askedBy, createdAt, expiresAt });
    await this.deps.audit.record({ workspaceId, actor: askedBy, action: 'web.link_created' });
    return { url: `${this.deps.publicUrl}/app/login/${token}`, expiresAt };
  }

  /** Uses a link's token: a new session the first time within 15 minutes, else why not. */
  async redeem(token: string): Promise<Redeemed> {
    if (!/^[\w-]{43}$/.test(token)) return { ok: false, reason: 'unknown' };
    const now = this.deps.clock();
    const used = await this.deps.store.useWebLogin(sha256(token), now);
    if (!used) return { ok: false, reason: 'unknown' };
    if (used.link.expiresAt <= now) return { ok: false, reason: 'expired' };
    if (!used.firstUse) return { ok: false, reason: 'used' };
    const { workspaceId, askedBy } = used.link;
    const opened = await this.open(workspaceId, webActor(askedBy));
    await this.deps.audit.record({ workspaceId, actor: opened.session.actor, action: 'web.signed_in' });
    return { ok: true, ...opened };
  }

  /** Opens a session for `actor` (what a used link does); `cookie` is the value to set. */
  async open(workspaceId: string, actor: Actor): Promise<{ session: WebSession; cookie: string }> {
    const cookie = secret();
    const now = this.deps.clock();
    const record: WebSessionRecord = {
      hash: sha256(cookie),
      workspaceId,
      actor,
      csrfToken: secret(),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.deps.absoluteMs,
    };
    await this.deps.store.putWebSession(record);
    return { session: this.shown(record), cookie };
  }

  /** The session of a cookie's value, while it lasts (and notes the request); else null. */
  async check(cookie: string): Promise<WebSession | null> {
    if (!cookie) return null;
    const record = await this.deps.store.getWebSession(sha256(cookie));
    if (!record) return null;
    const now = this.deps.clock();
    const session = this.shown(record);
    if (session.expiresAt <= now) return null;
    if (now - record.lastSeenAt >= touchEveryMs) {
      await this.deps.store.touchWebSession(record.hash, now);
      return this.shown({ ...record, lastSeenAt: now });
    }
    return session;
  }

  /** Ends a session: its cookie opens nothing from now on. */
  async signOut(session: Pick<WebSession, 'id' | 'workspaceId' | 'actor'>): Promise<void> {
    if (await this.deps.store.deleteWebSession(session.id)) {
      await this.deps.audit.record({
        workspaceId: session.workspaceId,
        actor: session.actor,
        action: 'web.signed_out',
      });
    }
  }

  private shown(r: WebSessionRecord): WebSession {
    return {
      id: r.hash,
      workspaceId: r.workspaceId,
      actor: r.actor,
      csrfToken: r.csrfToken,
      expiresAt: Math.min(r.expiresAt, r.lastSeenAt + this.deps.idleMs),
    };
  }
}

/** The web session's actor for who asked for the link: `web:slack:U123 (alice)`, `web:cli (ada)`. */
export function webActor(askedBy: Actor): Actor {
  const id = askedBy.id ? `${askedBy.kind}:${askedBy.id}` : askedBy.kind;
  return { kind: 'web', id, ...(askedBy.name ? { name: askedBy.name } : {}) };
}
