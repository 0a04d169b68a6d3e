import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { AppContext } from '../../app/app-context.js';
import type { Actor } from '../../core/audit.js';
import type { WebSession, WebSessions } from '../../services/web-sessions.js';
import { reloadPage } from './login-pages.js';

export type { WebSession };

/** What the web middleware puts on the Hono context. */
export interface WebEnv {
  Variables: { webSession: WebSession };
}

/** The session cookie: a random id (the store keeps its SHA-256). */
export const webSessionCookie = 'hayon_session';

export interface WebSessionDeps {
  sessions: Pick<WebSessions, 'check'>;
}

/** The lookups the middleware needs, from the app context. */
export function webSessionDeps(ctx: AppContext): WebSessionDeps {
  return { sessions: ctx.webSessions };
}

/** How the session cookie is set: HttpOnly, SameSite=Lax, under /app; Secure when hayon is reached over https. */
export function sessionCookieOptions(publicUrl: string, maxAgeMs: number): CookieOptions {
  return {
    httpOnly: true,
    secure: publicUrl.startsWith('https:'),
    sameSite: 'Lax',
    path: '/app',
    maxAge: Math.floor(maxAgeMs / 1000),
  };
}

/**
 * Opens a session without a link (what a used link does); tests use it to sign in. `cookie` is a
 * `Cookie:` header value.
 */
export async function openWebSession(
  ctx: AppContext,
  workspaceId: string,
  actor: Actor,
): Promise<{ session: WebSession; cookie: string }> {
  const { session, cookie } = await ctx.webSessions.open(workspaceId, actor);
  return { session, cookie: `${webSessionCookie}=${cookie}` };
}

/** Sets `webSession`, or sends the browser to `/app/login` (303). Pages are never cached. */
export function requireWebSession(deps: WebSessionDeps): MiddlewareHandler<WebEnv> {
  return async function webSession(c, next) {
    const session = await deps.sessions.check(getCookie(c, webSessionCookie) ?? '');
    if (!session) return c.redirect('/app/login', 303);
    c.set('webSession', session);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}

/**
 * Refuses a POST whose `_csrf` form field (or `x-csrf-token` header, for a script's fetch) is not
 * the session's token, compared in constant time: a 403 page that says to reload.
 */
export function verifyCsrf(): MiddlewareHandler<WebEnv> {
  return async function csrf(c, next) {
    if (c.req.method !== 'POST') return next();
    const header = c.req.header('x-csrf-token');
    const type = c.req.header('content-type') ?? '';
    const form = header === undefined && /form/.test(type) ? await c.req.parseBody() : undefined;
    const given = Buffer.from(header ?? (typeof form?._csrf === 'string' ? form._csrf : ''));
    const expected = Buffer.from(c.get('webSession').csrfToken);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return c.html(reloadPage(), 403);
    }
    await next();
  };
}
