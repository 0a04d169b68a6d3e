import { Hono } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { storeRetryAfterSec } from '../../core/store-unavailable.js';

/** `/healthz`: the process answers. `/readyz`: it can also use its store (503 when not). */
export function healthRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    if (await ctx.readiness.ready()) return c.json({ ok: true });
    return c.json({ ok: false, error: { code: 'store_unavailable', message: 'The store cannot be reached.' } }, 503, {
      'retry-after': String(storeRetryAfterSec),
    });
  });
  return app;
}
