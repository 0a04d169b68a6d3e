import type { Context } from 'hono';
import { HayonError } from '../../core/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a JSON body; malformed JSON, bytes that are not UTF-8 or a wrong content type are a 400 about `body`. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new HayonError('invalid_request', 'content type must be JSON', {
      field: 'body',
      userMessage: 'Send the body as JSON with "content-type: application/json".',
    });
  }
  try {
    // Strict UTF-8: a lenient decode would turn bytes that are not UTF-8 into U+FFFD in the post.
    return JSON.parse(utf8.decode(await c.req.arrayBuffer()));
  } catch (e) {
    throw new HayonError('invalid_request', 'malformed JSON', {
      field: 'body',
      userMessage: 'The body is not valid JSON (in UTF-8).',
      cause: e,
    });
  }
}
