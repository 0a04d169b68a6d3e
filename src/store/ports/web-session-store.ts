import type { Actor } from '../../core/audit.js';

/**
 * A one-time sign-in link for the web page (`/app/login/<token>`). Only the SHA-256 hex of its
 * token is stored.
 */
export interface WebLoginLink {
  /** SHA-256 hex of the token in the link. */
  hash: string;
  workspaceId: string;
  /** Who asked for it (`hayon web login`, `/hayon web` in Slack or Discord). */
  askedBy: Actor;
  createdAt: number;
  expiresAt: number;
  /** When it was used; a link opens one session only. */
  usedAt?: number | undefined;
}

/** A signed-in browser. Only the SHA-256 hex of its cookie is stored. */
export interface WebSessionRecord {
  /** SHA-256 hex of the cookie's random id. */
  hash: string;
  workspaceId: string;
  /** Who acts through it (kind `web`), for the audit log. */
  actor: Actor;
  /** The token every form of this session carries. */
  csrfToken: string;
  createdAt: number;
  /** Last request seen (kept to the minute): the idle limit counts from it. */
  lastSeenAt: number;
  /** The absolute end, whatever the use. */
  expiresAt: number;
}

/** Sign-in links and sessions of the web page (`/app`). */
export interface WebSessionStore {
  /** Stores a new link; links expired a day before `link.createdAt` are removed on the way. */
  putWebLogin(link: WebLoginLink): Promise<void>;
  /**
   * Marks a link used at `at`, atomically: of two callers, one gets `firstUse: true`. Returns the
   * link as stored before (null when there is no such link).
   */
  useWebLogin(hash: string, at: number): Promise<{ link: WebLoginLink; firstUse: boolean } | null>;
  /** Stores a new session; sessions past their absolute end at `session.createdAt` are removed on the way. */
  putWebSession(session: WebSessionRecord): Promise<void>;
  getWebSession(hash: string): Promise<WebSessionRecord | null>;
  /** Sets a session's `lastSeenAt`. */
  touchWebSession(hash: string, at: number): Promise<void>;
  /** Removes a session (signing out); false when there was none. */
  deleteWebSession(hash: string): Promise<boolean>;
}
