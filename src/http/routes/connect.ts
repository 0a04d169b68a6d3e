import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppContext } from '../../app/app-context.js';
import type { ConnectAnswer } from '../../services/connect/connect-service.js';
import { escapeHtml, page } from '../../connect/pages.js';
import { HayonError } from '../../core/errors.js';

/**
 * `/connect/{platform}/start | callback | choose`: the browser side of connecting an account.
 * No token: the single-use, signed `state` is the permission. Answers are HTML pages (a person
 * reads them), refusals too, with their 4xx status.
 */
export function connectRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  const answer = (c: Context, a: ConnectAnswer) =>
    a.kind === 'redirect' ? c.redirect(a.url, 302) : c.html(a.html, a.status as ContentfulStatusCode);
  const form = async (req: Request) => new URLSearchParams(await req.text());

  app.get('/connect/:platform/start', async (c) =>
    answer(c, await ctx.connect.start(c.req.param('platform'), new URL(c.req.url).searchParams)),
  );
  app.get('/connect/:platform/callback', async (c) =>
    answer(c, await ctx.connect.callback(c.req.param('platform'), new URL(c.req.url).searchParams)),
  );
  app.post('/connect/:platform/callback', async (c) =>
    answer(c, await ctx.connect.callback(c.req.param('platform'), await form(c.req.raw))),
  );
  app.post('/connect/:platform/choose', async (c) =>
    answer(c, await ctx.connect.choose(c.req.param('platform'), await form(c.req.raw))),
  );
  app.onError((err, c) => {
    const e = HayonError.from(err);
    if (e.status >= 500) ctx.log.error({ err: e.cause ?? e, path: c.req.path }, 'connect flow failed');
    const status = Math.min(e.status, 500) as ContentfulStatusCode;
    return c.html(page('Nothing was connected', `<p class="error">${escapeHtml(e.publicMessage)}</p>`), status);
  });
  return app;
}
