import { Hono } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { HayonError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import type { PostWithDeliveries } from '../../core/post.js';
import { messageFor } from '../../core/next-step.js';
import { deliveriesFragment } from './post-deliveries.js';
import { postPage } from './post-page.js';
import { whatChanged } from './stale-check.js';
import { type WebContext, formField, viewer } from './web-context.js';
import { problemPage } from './web-errors.js';
import type { WebEnv, WebSession } from './web-session.js';

type ActionName = 'cancel' | 'publish-now' | 'retry' | 'delete';

/** What each button did, for the page it leads back to (`?done=cancel`). */
const doneNotices: Record<ActionName, string> = {
  cancel: 'Cancelled what had not gone out yet.',
  'publish-now': 'Sent now: it goes out in a moment.',
  retry: 'The failed deliveries are being sent again.',
  delete: 'Deleted: what was published is taken down, and what waited is cancelled.',
};

/**
 * Runs a button's action through the same services as the API. Answers a sentence only when it
 * has more to say than the page will show (a platform that could not delete, and why).
 */
async function runAction(ctx: AppContext, s: WebSession, id: string, action: ActionName): Promise<string | undefined> {
  switch (action) {
    case 'cancel':
      await ctx.posts.cancel(s.workspaceId, id, s.actor);
      return undefined;
    case 'publish-now':
      await ctx.posts.postNow(s.workspaceId, id, s.actor);
      return undefined;
    case 'retry':
      await ctx.posts.retry(s.workspaceId, id, s.actor);
      return undefined;
    case 'delete': {
      const { results } = await ctx.posts.delete(s.workspaceId, id, s.actor);
      if (!results.some((r) => r.reason)) return undefined;
      return results
        .map((r) => `${platformNames[r.platform]}: ${r.result}${r.reason ? ` (${r.reason})` : ''}.`)
        .join(' ');
    }
  }
}

const isAction = (x: string): x is ActionName => ['cancel', 'publish-now', 'retry', 'delete'].includes(x);

/** `/app/posts/:id`: the post's page, its live fragment, and its actions. */
export function postRoutes(ctx: AppContext): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  const render = async (c: WebContext, id: string, extra: { notice?: string; problem?: string }, status = 200) => {
    const { session, zone } = await viewer(ctx, c);
    const history = await ctx.postQueries.history(session.workspaceId, id);
    const previews = await mediaPreviews(ctx, history.value);
    const page = postPage({ history, now: ctx.clock(), zone, csrfToken: session.csrfToken, previews, ...extra });
    return c.html(page, status as 200);
  };

  app.get('/:id', async (c) => {
    try {
      const done = c.req.query('done') ?? '';
      return await render(c, c.req.param('id'), isAction(done) ? { notice: doneNotices[done] } : {});
    } catch (e) {
      return problemPage(c, e, { zone: (await viewer(ctx, c)).zone, section: 'post', back: '/app' });
    }
  });

  app.get('/:id/live', async (c) => {
    const { session, zone } = await viewer(ctx, c);
    try {
      const history = await ctx.postQueries.history(session.workspaceId, c.req.param('id'));
      return c.html(deliveriesFragment(history, ctx.clock(), zone, session.csrfToken));
    } catch (e) {
      const err = HayonError.from(e);
      return c.text(err.publicMessage, err.status as 404);
    }
  });

  app.post('/:id/:action', async (c) => {
    const id = c.req.param('id');
    const action = c.req.param('action');
    const { session, zone } = await viewer(ctx, c);
    if (!isAction(action))
      return problemPage(c, new HayonError('not_found', 'no such action'), { zone, section: 'post' });
    let current: PostWithDeliveries;
    try {
      current = await ctx.posts.get(session.workspaceId, id);
    } catch (e) {
      return problemPage(c, e, { zone, section: 'post', back: '/app' });
    }
    const accounts = await ctx.accounts.list(session.workspaceId);
    const changed = whatChanged(await formField(c, 'version'), current, new Map(accounts.map((a) => [a.id, a.handle])));
    if (changed.length > 0) {
      const problem = `This post changed since the page was drawn, so nothing was done: ${changed.join(' ')} Look at it as it is now and choose again.`;
      return render(c, id, { problem }, 409);
    }
    try {
      const detail = await runAction(ctx, session, id, action);
      // Back to the post's page by GET, so a reload does not send the form again.
      return detail ? render(c, id, { notice: detail }) : c.redirect(`/app/posts/${id}?done=${action}`, 303);
    } catch (e) {
      const err = HayonError.from(e);
      if (!err.isClientError) throw e;
      return render(c, id, { problem: messageFor(err, 'web') }, err.status);
    }
  });

  return app;
}

/** A signed URL for each stored attachment of the post (global and per platform), to show it. */
async function mediaPreviews(ctx: AppContext, value: PostWithDeliveries): Promise<Map<string, string>> {
  const { content, overrides } = value.post;
  const keys = [...content.media, ...Object.values(overrides).flatMap((o) => o?.media ?? [])].flatMap((m) =>
    m.key ? [m.key] : [],
  );
  const urls = await Promise.all(keys.map((key) => ctx.media.viewUrl(key).catch(() => undefined)));
  return new Map(keys.flatMap((key, i) => (urls[i] ? [[key, urls[i]] as const] : [])));
}
