import type { MiddlewareHandler } from 'hono';
import type { TokensService } from '../../services/accounts/tokens-service.js';
import { HayonError } from '../../core/errors.js';
import type { HttpEnv } from '../env.js';

export interface BearerAuthOptions {
  /** Checks the presented token (and records its use). */
  tokens: Pick<TokensService, 'authenticate'>;
}

/** `Authorization: Bearer hyn_…` → the token (and so the workspace) on the context, or a 401. */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<HttpEnv> {
  return async function bearerAuthMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1] ? await options.tokens.authenticate(match[1]) : null;
    if (!token) {
      throw new HayonError('unauthorized', 'missing or unknown API token', {
        field: 'Authorization',
        userMessage:
          'Send a valid API token as "Authorization: Bearer <token>" (create one with: hayon tokens create).',
      });
    }
    c.set('token', token);
    await next();
  };
}
