import { Hono } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { HayonError } from '../../core/errors.js';
import { safeEqual } from '../../core/hmac.js';
import { subsystem } from '../../logger.js';
import { handleError, noRoute } from '../errors.js';

/**
 * `GET /metrics` on the API's port: Prometheus text. Off unless `HAYON_METRICS_TOKEN` is set;
 * then it asks for `Authorization: Bearer <that token>` (compared in constant time), so a public
 * hayon does not show its counts to anyone.
 */
export function metricsRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    if (!ctx.metricsToken) {
      throw new HayonError('not_found', 'metrics off', {
        userMessage: 'Metrics are off: set HAYON_METRICS_TOKEN to serve them here (or HAYON_METRICS_PORT).',
      });
    }
    checkToken(ctx.metricsToken, c.req.header('authorization'));
    return c.body(await ctx.metrics.text(), 200, { 'content-type': ctx.metrics.contentType });
  });
  return app;
}

/**
 * The app of the metrics listener (`HAYON_METRICS_PORT`): `GET /metrics` alone, asking for the
 * token only when `HAYON_METRICS_TOKEN` is set (the listener is bound to 127.0.0.1 by default).
 * `shared: false` (a `hayon worker`) leaves out the store and broker gauges that `hayon serve`
 * reports.
 */
export function metricsListenerApp(
  ctx: Pick<AppContext, 'log' | 'metrics' | 'metricsToken'>,
  options: { shared: boolean },
): Hono {
  const app = new Hono();
  app.onError(handleError(subsystem(ctx.log, 'metrics')));
  app.notFound(noRoute);
  app.get('/metrics', async (c) => {
    if (ctx.metricsToken) checkToken(ctx.metricsToken, c.req.header('authorization'));
    return c.body(await ctx.metrics.text({ shared: options.shared }), 200, { 'content-type': ctx.metrics.contentType });
  });
  return app;
}

function checkToken(expected: string, authorization: string | undefined): void {
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  if (!safeEqual(given, expected)) {
    throw new HayonError('unauthorized', 'bad metrics token', {
      field: 'Authorization',
      userMessage: 'Send "Authorization: Bearer <HAYON_METRICS_TOKEN>".',
    });
  }
}
