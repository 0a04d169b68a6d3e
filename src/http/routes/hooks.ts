import { Hono } from 'hono';
import type { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { readBodyCapped } from '../middleware/raw-body.js';
import type { hookIgnoredSchema } from '../openapi/schemas.js';

/** The largest webhook body taken: a Ghost post with its HTML, a GitHub release with its notes. */
export const maxHookBodyBytes = 1024 * 1024;

/**
 * `POST /v1/hooks/{hookId}`: an event from a CMS or CI. No bearer token: the hook's signature is
 * the authentication (see hooks-service.ts). 202 with the new post (or `{ ignored, reason }` for
 * an event that makes none), 200 with the existing post for a repeated delivery.
 */
export function hooksRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.post('/:hookId', async (c) => {
    const body = await readBodyCapped(
      c.req.raw,
      maxHookBodyBytes,
      `The body is larger than ${maxHookBodyBytes / 1024} KiB, the most a webhook may send.`,
    );
    const answer = await ctx.hooks.receive(c.req.param('hookId'), { header: (name) => c.req.header(name), body });
    if (answer.kind === 'ignored') {
      const ignored: z.infer<typeof hookIgnoredSchema> = { ignored: true, reason: answer.reason };
      return c.json(ignored, 202);
    }
    return c.json(await ctx.postQueries.view(answer.value), answer.status);
  });
  return app;
}
