import { Hono } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { HayonError } from '../../core/errors.js';
import { messageFor } from '../../core/next-step.js';
import type { PostWithDeliveries } from '../../core/post.js';
import { accountsPage } from './accounts-page.js';
import { hooksPage } from './hooks-page.js';
import { type WebContext, formField, viewer } from './web-context.js';
import type { WebEnv } from './web-session.js';

/** How many of the workspace's newest posts the hooks page looks through for each hook's events. */
const recentPosts = 200;
const eventsPerHook = 5;

/** `/app/accounts` (health, connect and reconnect) and `/app/hooks` (each hook's recent events). */
export function accountsRoutes(ctx: AppContext): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  const renderAccounts = async (c: WebContext, problem?: string) => {
    const { session, zone } = await viewer(ctx, c);
    const accounts = await ctx.accounts.list(session.workspaceId);
    const page = accountsPage({
      accounts,
      connectable: ctx.connect.platforms(),
      csrfToken: session.csrfToken,
      zone,
      problem,
    });
    return c.html(page, problem ? 400 : 200);
  };

  app.get('/accounts', (c) => renderAccounts(c));

  // A connect link, made on the press of the button (it is single-use), and the browser sent there.
  app.post('/accounts/connect/:platform', async (c) => {
    const { session } = await viewer(ctx, c);
    const instance = (await formField(c, 'instance'))?.trim();
    try {
      const { url } = await ctx.connect.link(
        session.workspaceId,
        c.req.param('platform'),
        session.actor,
        instance ? { instance } : {},
      );
      return c.redirect(url, 303);
    } catch (e) {
      const err = HayonError.from(e);
      if (!err.isClientError) throw e;
      return renderAccounts(c, messageFor(err, 'web'));
    }
  });

  app.get('/hooks', async (c) => {
    const { session, zone } = await viewer(ctx, c);
    const [hooks, posts, accounts] = await Promise.all([
      ctx.hooks.list(session.workspaceId),
      ctx.posts.list(session.workspaceId, { limit: recentPosts }),
      ctx.accounts.list(session.workspaceId),
    ]);
    const events = new Map<string, PostWithDeliveries[]>();
    for (const p of posts) {
      const origin = p.post.origin;
      if (origin.kind !== 'webhook') continue;
      const list = events.get(origin.hookId) ?? [];
      if (list.length < eventsPerHook) list.push(p);
      events.set(origin.hookId, list);
    }
    return c.html(hooksPage({ hooks, events, accounts, now: ctx.clock(), zone }));
  });

  return app;
}
