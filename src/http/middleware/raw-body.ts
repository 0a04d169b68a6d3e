import { HayonError } from '../../core/errors.js';

/**
 * Reads a request's body as bytes, refused with a 413 about `body` as soon as it passes
 * `maxBytes` (by its Content-Length, or while it streams): a large body is never held whole.
 */
export async function readBodyCapped(request: Request, maxBytes: number, userMessage: string): Promise<Buffer> {
  const tooLarge = () => new HayonError('payload_too_large', 'body too large', { field: 'body', userMessage });
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    for await (const chunk of request.body) {
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}
