import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { HayonError } from '../core/errors.js';
import { errorBody } from '../core/error-body.js';
import type { Logger } from '../logger.js';

/** The JSON body of every error answer (the OpenAPI document's `Error`). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('What went wrong, for programs: invalid_request, unauthorized, rate_limited, …'),
      message: z.string().describe('A sentence for people.'),
      field: z
        .string()
        .optional()
        .describe('The input the error is about, as a path: targets[1], when, Idempotency-Key.'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Turns anything thrown in a route into a typed JSON answer; a 5xx never shows its cause. */
export function handleError(log: Logger) {
  return function onError(err: unknown, c: Context): Response {
    const e = HayonError.from(err);
    if (e.code === 'store_unavailable') log.warn({ err: e.cause ?? e, path: c.req.path }, 'store unavailable');
    else if (e.status >= 500) log.error({ err: e.cause ?? e, path: c.req.path }, 'request failed');
    const headers: Record<string, string> = {};
    if (e.code === 'rate_limited') headers['retry-after'] = String(e.retryAfterSec ?? 60);
    // The store away (MongoDB down, SQLite locked or full): nothing was saved, send it again later.
    if (e.code === 'store_unavailable') headers['retry-after'] = String(e.retryAfterSec ?? 30);
    return c.json(errorBody(e), e.status as ContentfulStatusCode, headers);
  };
}

/** The answer for a path no route serves: 404 naming the path. */
export function noRoute(c: Context): Response {
  return c.json(
    errorBody(new HayonError('not_found', `no route ${c.req.method} ${c.req.path}`, { field: 'path' })),
    404,
  );
}
