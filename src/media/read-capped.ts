/**
 * `MediaStore.get` with `maxBytes` met an object larger than that: reading stopped at the cap
 * (or before the first byte, when the store knew the size), so nothing larger was held.
 */
export class ObjectTooLargeError extends Error {
  override name = 'ObjectTooLargeError';
  constructor(
    readonly key: string,
    readonly maxBytes: number,
  ) {
    super(`${key} is larger than ${maxBytes} bytes`);
  }
}

/**
 * Reads a stream into one buffer, stopping as soon as it passes `maxBytes` (an ObjectTooLargeError
 * then; leaving the loop destroys the stream, so the rest is never read).
 */
export async function readCapped(stream: AsyncIterable<Uint8Array>, maxBytes: number, key: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new ObjectTooLargeError(key, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
