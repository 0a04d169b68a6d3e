import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { zodToHayonError } from '../../core/errors.js';
import type { HttpEnv } from '../env.js';
import { readJsonBody } from '../middleware/json-body.js';
import { requireScope, tokenActor } from '../middleware/require-scope.js';

export const connectLinkRequestSchema = z
  .object({
    /** Mastodon: the server, like `mastodon.social`; asked in the browser when absent. */
    instance: z.string().min(1).max(300).optional(),
  })
  .strict()
  .meta({ id: 'ConnectLinkRequest' });

export const connectLinkSchema = z
  .object({
    /** Open it in a browser: it works once. */
    url: z.string(),
    expiresAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'ConnectLink' });

/**
 * `POST /v1/connect/{platform}`: a connect link for a tool that manages accounts (scope
 * `accounts:manage`), the same as `hayon accounts connect` and `/hayon connect`.
 */
export function connectLinkRoutes(ctx: AppContext): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.post('/:platform', requireScope('accounts:manage'), async (c) => {
    const token = c.get('token');
    const raw = c.req.header('content-length') === '0' || !c.req.header('content-type') ? {} : await readJsonBody(c);
    const parsed = connectLinkRequestSchema.safeParse(raw);
    if (!parsed.success) throw zodToHayonError(parsed.error);
    const { url, expiresAt } = await ctx.connect.link(
      token.workspaceId,
      c.req.param('platform'),
      tokenActor(token),
      parsed.data.instance ? { instance: parsed.data.instance } : {},
    );
    const answer: z.infer<typeof connectLinkSchema> = { url, expiresAt: new Date(expiresAt).toISOString() };
    return c.json(answer, 201);
  });
  return app;
}
