import { Hono, type MiddlewareHandler } from 'hono';
import type { AppContext } from '../app/app-context.js';
import { subsystem } from '../logger.js';
import type { HttpEnv } from './env.js';
import { handleError, noRoute } from './errors.js';
import { maxJsonBodyBytes } from './limits.js';
import { bearerAuth } from './middleware/bearer-auth.js';
import { bodySizeLimit } from './middleware/body-size.js';
import { tokenRateLimit } from './middleware/token-rate-limit.js';
import { openapiRoutes } from './openapi/openapi-routes.js';
import { healthRoutes } from './routes/health.js';
import { connectRoutes } from './routes/connect.js';
import { connectLinkRoutes } from './routes/connect-links.js';
import { accountsRoutes } from './routes/accounts.js';
import { hooksRoutes } from './routes/hooks.js';
import { metricsRoutes } from './routes/metrics.js';
import { mediaRoutes } from './routes/media.js';
import { postsRoutes } from './routes/posts.js';
import { uploadsRoutes } from './routes/uploads.js';
import { webRoutes } from './web/web-routes.js';

/**
 * The HTTP app. It never listens by itself: tests call `app.request()`, `hayon serve` opens the
 * port.
 */
export function createHttpApp(ctx: AppContext): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const log = subsystem(ctx.log, 'http');
  app.onError(handleError(log));
  app.notFound(noRoute);
  app.route('/', healthRoutes(ctx));
  app.route('/', metricsRoutes(ctx));
  app.route('/', openapiRoutes(ctx));
  // Signed URLs of the disk media store: the signature is the permission, no token.
  app.route('/', mediaRoutes(ctx.media.store));
  const slack = ctx.slack?.routes();
  if (slack) app.route('/', slack);
  const discord = ctx.discord?.routes();
  if (discord) app.route('/', discord);
  // Connecting accounts in a browser: the signed, single-use state is the permission.
  app.route('/', connectRoutes(ctx));
  // The web page for the team: its own session cookie and CSRF token, no API token.
  app.route('/app', webRoutes(ctx));
  // Incoming webhooks carry their own authentication (a signature) and a larger body cap, so the
  // API's token and body-size middleware below skip them.
  app.route('/v1/hooks', hooksRoutes(ctx));
  const api = (middleware: MiddlewareHandler<HttpEnv>): MiddlewareHandler<HttpEnv> =>
    async function apiOnly(c, next) {
      if (c.req.path.startsWith('/v1/hooks/')) return next();
      return middleware(c, next);
    };
  app.use('/v1/*', api(bodySizeLimit(maxJsonBodyBytes)));
  app.use('/v1/*', api(bearerAuth({ tokens: ctx.tokens })));
  app.use('/v1/*', api(tokenRateLimit({ limiter: ctx.limiter, perMinute: ctx.config.rateLimits.perTokenPerMinute })));
  app.route('/v1/posts', postsRoutes(ctx));
  app.route('/v1/uploads', uploadsRoutes(ctx));
  app.route('/v1/connect', connectLinkRoutes(ctx));
  app.route('/v1/accounts', accountsRoutes(ctx));
  return app;
}
