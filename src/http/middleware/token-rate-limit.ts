import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from '../env.js';
import type { RateLimiter } from '../../core/rate-limiter.js';

/** After `bearerAuth`: at most `perMinute` requests per API token, else 429 with `Retry-After`. */
export function tokenRateLimit(options: { limiter: RateLimiter; perMinute: number }): MiddlewareHandler<HttpEnv> {
  return async function tokenRateLimitMiddleware(c, next) {
    options.limiter.take(`token:${c.get('token').id}`, options.perMinute, 'Authorization');
    await next();
  };
}
