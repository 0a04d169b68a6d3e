import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import { HayonError } from '../../core/errors.js';

/**
 * `GET /metrics`: Prometheus text. Off unless `HAYON_METRICS_TOKEN` is set; then it asks for
 * `Authorization: Bearer <that token>` (compared in constant time), so a public hayon does not
 * show its counts to anyone.
 */
export function metricsRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    const expected = ctx.metricsToken;
    if (!expected) {
      throw new HayonError('not_found', 'metrics off', {
        userMessage: 'Metrics are off: set HAYON_METRICS_TOKEN to serve them here.',
      });
    }
    const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '');
    const want = Buffer.from(expected);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      throw new HayonError('unauthorized', 'bad metrics token', {
        field: 'Authorization',
        userMessage: 'Send "Authorization: Bearer <HAYON_METRICS_TOKEN>".',
      });
    }
    return c.body(await ctx.metrics.text(), 200, { 'content-type': ctx.metrics.contentType });
  });
  return app;
}
