import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HayonError } from '../core/errors.js';
import type { Logger } from '../logger.js';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export function errorBody(e: HayonError): ErrorBody {
  return { error: { code: e.code, message: e.publicMessage, ...(e.field ? { field: e.field } : {}) } };
}

/** Turns anything thrown in a route into a typed JSON answer; a 5xx never shows its cause. */
export function handleError(log: Logger) {
  return function onError(err: unknown, c: Context): Response {
    const e = HayonError.from(err);
    if (e.status >= 500) log.error({ err: e.cause ?? e, path: c.req.path }, 'request failed');
    const headers: Record<string, string> = {};
    if (e.code === 'rate_limited') headers['retry-after'] = String(e.retryAfterSec ?? 60);
    return c.json(errorBody(e), e.status as ContentfulStatusCode, headers);
  };
}
