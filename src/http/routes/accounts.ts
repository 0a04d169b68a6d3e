import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { HayonError } from '../../core/errors.js';
import type { HttpEnv } from '../env.js';
import { requireScope, tokenActor } from '../middleware/require-scope.js';

export const accountRemovedSchema = z
  .object({
    /** The account removed, with its credentials. */
    id: z.string(),
    platform: z.string(),
    handle: z.string(),
    /** Deliveries for it that were waiting and were cancelled (with `cancelWaiting=true`). */
    cancelled: z.number().int(),
  })
  .meta({ id: 'AccountRemoved' });

/**
 * `DELETE /v1/accounts/{id}` (scope `accounts:manage`): removes a connected account, as `hayon
 * accounts remove` does. Refused (409, naming the posts and their times) while deliveries for it
 * wait, unless `?cancelWaiting=true` cancels them with it.
 */
export function accountsRoutes(ctx: AppContext): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.delete('/:id', requireScope('accounts:manage'), async (c) => {
    const token = c.get('token');
    const flag = c.req.query('cancelWaiting');
    if (flag !== undefined && flag !== 'true' && flag !== 'false') {
      throw new HayonError('invalid_request', 'bad cancelWaiting', {
        field: 'cancelWaiting',
        userMessage: 'cancelWaiting must be true or false (`?cancelWaiting=true` cancels the waiting posts too).',
      });
    }
    const { account, cancelled } = await ctx.accounts.remove(token.workspaceId, c.req.param('id'), {
      cancelWaiting: flag === 'true',
      cancelHint: '`?cancelWaiting=true`',
      actor: tokenActor(token),
    });
    const answer: z.infer<typeof accountRemovedSchema> = {
      id: account.id,
      platform: account.platform,
      handle: account.handle,
      cancelled,
    };
    return c.json(answer);
  });
  return app;
}
