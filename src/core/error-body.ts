import type { HayonError } from './errors.js';
import { messageFor } from './next-step.js';

/**
 * The JSON body of every error answer over HTTP: the API, webhooks and the chat platforms'
 * request endpoints (the OpenAPI document's `Error`, whose schema is in `http/errors.ts`).
 */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export function errorBody(e: HayonError): ErrorBody {
  return { error: { code: e.code, message: messageFor(e, 'api'), ...(e.field ? { field: e.field } : {}) } };
}
