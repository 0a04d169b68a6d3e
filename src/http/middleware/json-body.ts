import type { Context } from 'hono';
import { HayonError } from '../../core/errors.js';

/** Reads a JSON body; malformed JSON or a wrong content type is a 400 about `body`. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new HayonError('invalid_request', 'content type must be JSON', {
      field: 'body',
      userMessage: 'Send the body as JSON with "content-type: application/json".',
    });
  }
  try {
    return await c.req.json();
  } catch (e) {
    throw new HayonError('invalid_request', 'malformed JSON', {
      field: 'body',
      userMessage: 'The body is not valid JSON.',
      cause: e,
    });
  }
}
