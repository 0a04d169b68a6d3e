import { Hono } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { HayonError } from '../../core/errors.js';
import { toPostView } from '../../core/post-view.js';
import type { PostWithDeliveries } from '../../core/post.js';
import type { HttpEnv } from '../env.js';
import { readJsonBody } from '../middleware/json-body.js';
import { requireScope, tokenActor } from '../middleware/require-scope.js';

/** `/v1/posts`: create, read, list, cancel, hurry, retry, edit and delete posts of the token's workspace (scopes posts:write, posts:read). */
export function postsRoutes(ctx: AppContext): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const view = (workspaceId: string, value: PostWithDeliveries) => ctx.postQueries.view(value, workspaceId);

  app.post('/', requireScope('posts:write'), async (c) => {
    const token = c.get('token');
    const key = c.req.header('idempotency-key');
    if (key !== undefined && (key.length === 0 || key.length > 255)) {
      throw new HayonError('invalid_request', 'bad idempotency key', {
        field: 'Idempotency-Key',
        userMessage: 'Idempotency-Key must be 1 to 255 characters.',
      });
    }
    const body = await readJsonBody(c);
    const outcome = await ctx.posts.create(body, {
      workspaceId: token.workspaceId,
      origin: { kind: 'api', tokenId: token.id },
      author: { id: token.id, name: token.name },
      idempotencyKey: key,
      defaultTimezone: ctx.config.defaultTimezone,
    });
    return c.json(toPostView(outcome.value, ctx.clock(), outcome.accounts), outcome.created ? 202 : 200);
  });

  app.get('/', requireScope('posts:read'), async (c) => {
    const { workspaceId } = c.get('token');
    // Whole, like SQL's LIMIT must be: "3.7" is clamped to 3 rather than refused by the store.
    const limit = Math.min(100, Math.max(1, Math.trunc(Number(c.req.query('limit') ?? 20)) || 20));
    const beforeRaw = c.req.query('before');
    const before = beforeRaw ? Date.parse(beforeRaw) : undefined;
    if (before !== undefined && Number.isNaN(before)) {
      throw new HayonError('invalid_request', 'bad before', {
        field: 'before',
        userMessage: '"before" must be an ISO time.',
      });
    }
    const posts = await ctx.postQueries.list(workspaceId, { limit, ...(before !== undefined ? { before } : {}) });
    return c.json({ posts });
  });

  app.get('/:id', requireScope('posts:read'), async (c) => {
    const { workspaceId } = c.get('token');
    return c.json(await ctx.postQueries.get(workspaceId, c.req.param('id')));
  });

  app.post('/:id/cancel', requireScope('posts:write'), async (c) => {
    const token = c.get('token');
    const cancelled = await ctx.posts.cancel(token.workspaceId, c.req.param('id'), tokenActor(token));
    return c.json(await view(token.workspaceId, cancelled));
  });

  // What is still scheduled goes out now (the chat "Post now" button).
  app.post('/:id/publish-now', requireScope('posts:write'), async (c) => {
    const token = c.get('token');
    const hurried = await ctx.posts.postNow(token.workspaceId, c.req.param('id'), tokenActor(token));
    return c.json(await view(token.workspaceId, hurried));
  });

  // What has not started publishing changes: checked as a new post is (the chat "Edit" button).
  app.patch('/:id', requireScope('posts:write'), async (c) => {
    const token = c.get('token');
    const body = await readJsonBody(c);
    const outcome = await ctx.posts.edit(token.workspaceId, c.req.param('id'), body, tokenActor(token));
    return c.json(toPostView(outcome.value, ctx.clock(), outcome.accounts));
  });

  // The failed deliveries are sent again, with the same keys (the chat "Retry" button).
  app.post('/:id/retry', requireScope('posts:write'), async (c) => {
    const token = c.get('token');
    const retried = await ctx.posts.retry(token.workspaceId, c.req.param('id'), tokenActor(token));
    return c.json(await view(token.workspaceId, retried));
  });

  // What waits is cancelled, what was published deleted where the platform's API allows it.
  app.delete('/:id', requireScope('posts:write'), async (c) => {
    const token = c.get('token');
    const outcome = await ctx.posts.delete(token.workspaceId, c.req.param('id'), tokenActor(token));
    return c.json({ post: await view(token.workspaceId, outcome.value), results: outcome.results });
  });

  return app;
}
