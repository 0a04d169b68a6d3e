import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppContext } from '../../app/app-context.js';
import type { Redeemed } from '../../services/web-sessions.js';
import { linkRefusedPage, linkUncheckedPage, signedOutPage, signInPage, signOutPage } from './login-pages.js';
import {
  requireWebSession,
  sessionCookieOptions,
  verifyCsrf,
  type WebEnv,
  webSessionCookie,
  webSessionDeps,
} from './web-session.js';

/**
 * Signing in and out of the web page, mounted before the session check: `/app/login` (how to
 * get a link), `/app/login/<token>` (a one-time link opens a session), `/app/logout`.
 */
export function loginRoutes(ctx: AppContext): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const cookieOptions = sessionCookieOptions(ctx.config.publicUrl, ctx.config.webSessions.absoluteMs);

  app.get('/login', async (c) => {
    c.header('Cache-Control', 'no-store');
    // Already signed in: on to the calendar.
    if (await ctx.webSessions.check(getCookie(c, webSessionCookie) ?? '')) return c.redirect('/app', 303);
    return c.html(signInPage());
  });

  app.get('/login/:token', async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    // A HEAD (a link preview, a checker) must not use up the link.
    if (c.req.method === 'HEAD') return c.body(null, 200);
    let result: Redeemed;
    try {
      result = await ctx.webSessions.redeem(c.req.param('token'));
    } catch (err) {
      // Logged without the path: it holds the link's token.
      ctx.log.error({ err }, 'a sign-in link could not be checked');
      return c.html(linkUncheckedPage(), 503);
    }
    if (!result.ok) return c.html(linkRefusedPage(result.reason), result.reason === 'unknown' ? 401 : 410);
    setCookie(c, webSessionCookie, result.cookie, cookieOptions);
    return c.redirect('/app', 303);
  });

  const signedIn = new Hono<WebEnv>();
  signedIn.use('*', requireWebSession(webSessionDeps(ctx)), verifyCsrf());
  signedIn.get('/', (c) => c.html(signOutPage(c.get('webSession').csrfToken)));
  signedIn.post('/', async (c) => {
    await ctx.webSessions.signOut(c.get('webSession'));
    deleteCookie(c, webSessionCookie, { path: '/app', secure: cookieOptions.secure ?? false });
    return c.html(signedOutPage());
  });
  app.route('/logout', signedIn);

  return app;
}
