import type { MiddlewareHandler } from 'hono';
import type { Actor } from '../../core/audit.js';
import { HayonError } from '../../core/errors.js';
import type { ApiScope, ApiToken } from '../../core/post.js';
import type { HttpEnv } from '../env.js';

/**
 * After `bearerAuth`: the route needs `scope`; a token without it is a 403 `forbidden` on
 * `Authorization`, naming the scope. (A revoked or unknown token never gets here: it is a 401.)
 *
 * @example app.post('/', requireScope('posts:write'), async (c) => …)
 */
export function requireScope(scope: ApiScope): MiddlewareHandler<HttpEnv> {
  return async function requireScopeMiddleware(c, next) {
    const token = c.get('token');
    if (!token.scopes.includes(scope)) {
      throw new HayonError('forbidden', `token lacks ${scope}`, {
        field: 'Authorization',
        userMessage:
          `This API token does not have the scope ${scope} (it has ${token.scopes.join(', ') || 'none'}); ` +
          `create one that has it: hayon tokens create --name NAME --scopes ${scope}`,
      });
    }
    await next();
  };
}

/** The token as the audit log names who acted through the API. */
export function tokenActor(token: Pick<ApiToken, 'id' | 'name'>): Actor {
  return { kind: 'api', id: token.id, name: token.name };
}
