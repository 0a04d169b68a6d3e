import type { MiddlewareHandler } from 'hono';
import { authenticateToken } from '../../services/accounts/api-tokens.js';
import type { Clock } from '../../core/clock.js';
import { HayonError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { HttpEnv } from '../env.js';

export interface BearerAuthOptions {
  store: Store;
  clock: Clock;
  /** Record a token's last use at most this often (a write per request would be wasted). */
  touchEveryMs?: number;
}

/** `Authorization: Bearer hyn_…` → the token (and so the workspace) on the context, or a 401. */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<HttpEnv> {
  const touchEveryMs = options.touchEveryMs ?? 60_000;
  return async function bearerAuthMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1] ? await authenticateToken(options.store, match[1]) : null;
    if (!token) {
      throw new HayonError('unauthorized', 'missing or unknown API token', {
        field: 'Authorization',
        userMessage:
          'Send a valid API token as "Authorization: Bearer <token>" (create one with: hayon tokens create).',
      });
    }
    const now = options.clock();
    if (!token.lastUsedAt || now - token.lastUsedAt > touchEveryMs) await options.store.touchApiToken(token.id, now);
    c.set('token', token);
    await next();
  };
}
