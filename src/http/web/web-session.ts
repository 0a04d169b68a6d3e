import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppContext } from '../../app/app-context.js';
import type { Actor } from '../../core/audit.js';

/*
 * PLACEHOLDER (issue #20, pages helper): the shape the pages are written against. The signing-in
 * helper replaces the bodies (one-time links, sessions in the store, sign out) and keeps the
 * exported names and types; see /work/tools/web-session.md.
 */

/** A signed-in browser: bound to one workspace, until `expiresAt`. */
export interface WebSession {
  id: string;
  workspaceId: string;
  /** Who acts (kind `web`), for the audit log. */
  actor: Actor;
  /** Every form carries it as `_csrf`; a script sends it as `x-csrf-token`. */
  csrfToken: string;
  expiresAt: number;
}

/** What the web middleware puts on the Hono context. */
export interface WebEnv {
  Variables: { webSession: WebSession };
}

export const webSessionCookie = 'hayon_session';

export interface WebSessionDeps {
  find(id: string): Promise<WebSession | null>;
  now(): number;
}

const placeholderSessions = new WeakMap<object, Map<string, WebSession>>();

function sessionsOf(ctx: AppContext): Map<string, WebSession> {
  let map = placeholderSessions.get(ctx);
  if (!map) {
    map = new Map();
    placeholderSessions.set(ctx, map);
  }
  return map;
}

/** The lookups the middleware needs, from the app context. */
export function webSessionDeps(ctx: AppContext): WebSessionDeps {
  return { find: async (id) => sessionsOf(ctx).get(id) ?? null, now: ctx.clock };
}

/** Opens a session (what a used login link does); tests use it to sign in. */
export async function openWebSession(
  ctx: AppContext,
  workspaceId: string,
  actor: Actor,
): Promise<{ session: WebSession; cookie: string }> {
  const session: WebSession = {
    id: randomBytes(24).toString('base64url'),
    workspaceId,
    actor,
    csrfToken: randomBytes(24).toString('base64url'),
    expiresAt: ctx.clock() + 12 * 3_600_000,
  };
  sessionsOf(ctx).set(session.id, session);
  return { session, cookie: `${webSessionCookie}=${session.id}` };
}

/** Sets `webSession`, or sends the browser to `/app/login`. */
export function requireWebSession(deps: WebSessionDeps): MiddlewareHandler<WebEnv> {
  return async function webSession(c, next) {
    const id = getCookie(c, webSessionCookie);
    const session = id ? await deps.find(id) : null;
    if (!session || session.expiresAt <= deps.now()) return c.redirect('/app/login', 303);
    c.set('webSession', session);
    await next();
  };
}

/** Refuses a POST whose `_csrf` field (or `x-csrf-token` header) is not the session's token. */
export function verifyCsrf(): MiddlewareHandler<WebEnv> {
  return async function csrf(c, next) {
    if (c.req.method !== 'POST') return next();
    const header = c.req.header('x-csrf-token');
    const type = c.req.header('content-type') ?? '';
    const form = !header && /form/.test(type) ? await c.req.parseBody() : undefined;
    const given = header ?? (typeof form?._csrf === 'string' ? form._csrf : '');
    const expected = Buffer.from(c.get('webSession').csrfToken);
    const got = Buffer.from(given);
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      return c.text(
        'This form is out of date or did not come from hayon (missing CSRF token). Reload the page and try again.',
        403,
      );
    }
    await next();
  };
}
