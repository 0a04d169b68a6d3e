import { errorBodySchema } from '../errors.js';
import type { HeaderSpec, ParameterSpec, ResponseSpec, SecurityRequirement } from './types.js';

/** The parts operations share: the token, error answers, the signature header. */

/** `Authorization: Bearer hyn_…` (the `bearerAuth` security scheme). */
export const bearer: readonly SecurityRequirement[] = [{ bearerAuth: [] }];

/** An error answer: always the `Error` body. */
export function error(description: string, headers?: Record<string, HeaderSpec>): ResponseSpec {
  return { description, schema: errorBodySchema, ...(headers ? { headers } : {}) };
}

export const retryAfterHeader: HeaderSpec = {
  description: 'Seconds to wait before the next request can pass.',
  schema: { type: 'integer', minimum: 0 },
  required: true,
};

export function rateLimited(description: string): ResponseSpec {
  return error(description, { 'Retry-After': retryAfterHeader });
}

/** The store away (MongoDB down, SQLite locked or its disk full): nothing was saved. */
export const storeUnavailable: ResponseSpec = error(
  'The store cannot be reached or cannot write now (error.code store_unavailable; the message names the ' +
    'database): nothing was saved. Send the same request again after Retry-After seconds (the same ' +
    'Idempotency-Key makes it the same post).',
  { 'Retry-After': retryAfterHeader },
);

/** What every `/v1/*` route with a token may also answer. */
export const tokenErrors = {
  '401': error(
    'No valid API token: send "Authorization: Bearer hyn_…" (create one with `hayon tokens create`). ' +
      'error.field is Authorization.',
  ),
  '429': rateLimited('Too many requests with this token in the last minute. Retry after Retry-After seconds.'),
  '503': storeUnavailable,
} satisfies Record<string, ResponseSpec>;

/** The 403 of a route that needs `scope` (`hayon tokens create --scopes …`). */
export function missingScope(scope: string): ResponseSpec {
  return error(
    `The token does not have the scope ${scope} (error.code forbidden, error.field Authorization; the message ` +
      'names the scope).',
  );
}

export const postIdParameter: ParameterSpec = {
  name: 'id',
  in: 'path',
  description: 'The post’s id, as its answers show it.',
  schema: { type: 'string' },
};

export const signatureScheme =
  't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. The receiver recomputes v1 over the raw ' +
  'bytes with the secret, compares in constant time, and refuses a t more than 5 minutes from its clock. ' +
  'Several v1= entries may be sent while a secret is being rotated: any match passes.';

export const hayonSignatureHeader: HeaderSpec = {
  description: signatureScheme,
  schema: { type: 'string', examples: ['t=1767225600,v1=5f1c0a…'] },
  required: true,
};
