import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HayonError } from '../../core/errors.js';

/**
 * Refuses a body over `maxBytes` with a 413 about `body`. A body that states its length
 * (Content-Length, not chunked) is judged by that length before a byte is read (Node's HTTP parser
 * never hands on more), and stays unread until its route reads it on @hono/node-server's fast
 * path: bytes straight from the socket. Hono's bodyLimit reads `c.req.raw.body`, which builds a
 * whole web Request (a stream, an abort signal, headers) for every body: about a third of the CPU
 * of a small JSON request. A body without a length (chunked) goes through bodyLimit, which counts
 * it as it streams in. GET and HEAD bodies are never read, so never judged.
 */
export function bodySizeLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new HayonError('payload_too_large', 'body too large', {
      field: 'body',
      userMessage: `The body is larger than ${maxBytes / 1024} KiB.`,
    });
  };
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async function bodySize(c, next) {
    // No route reads the body of these.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxBytes) tooLarge();
      return next();
    }
    return streamed(c, next);
  };
}
