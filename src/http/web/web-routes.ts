import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext } from '../../app/app-context.js';
import { accountsRoutes } from './accounts-routes.js';
import { calendarRoutes } from './calendar-routes.js';
import { mediaSlots } from './composer-page.js';
import { composerRoutes } from './composer-routes.js';
import { editRoutes } from './edit-routes.js';
import { loginRoutes } from './login-routes.js';
import { postRoutes } from './post-routes.js';
import { requireWebSession, verifyCsrf, type WebEnv, webSessionDeps } from './web-session.js';

/**
 * The web page under `/app`: rendered on the server, plain forms, a little inline script. Every
 * page needs a session (else `/app/login`); every POST carries the session's CSRF token.
 */
export function webRoutes(ctx: AppContext): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  // Signing in and out (the pages without a session), before the session check.
  app.route('/', loginRoutes(ctx));
  app.use('*', requireWebSession(webSessionDeps(ctx)));
  // Before the CSRF check reads the body: the composer's files, or a small form.
  app.use(
    '*',
    bodyLimit({
      maxSize: ctx.config.mediaMaxBytes * mediaSlots + 1_048_576,
      onError: (c) => c.text('The files are larger than hayon takes together; send fewer or smaller ones.', 413),
    }),
  );
  app.use('*', verifyCsrf());
  app.route('/', calendarRoutes(ctx));
  app.route('/', accountsRoutes(ctx));
  app.route('/compose', composerRoutes(ctx));
  app.route('/posts', editRoutes(ctx));
  app.route('/posts', postRoutes(ctx));
  return app;
}
