import { PlatformError } from '../core/errors.js';
import { deadline } from '../platforms/deadline.js';
import type { LoadedMedia, MediaLoader } from '../platforms/platform.js';
import { sniffMediaType } from './sniff.js';

export interface UrlLoaderOptions {
  fetch: typeof fetch;
  maxBytes: number;
  timeoutMs: number;
}

function mediaError(kind: 'transient' | 'invalid', message: string, status?: number): PlatformError {
  return new PlatformError(kind, message, { platform: 'media', ...(status !== undefined ? { status } : {}) });
}

/**
 * Loads an attachment by URL when a delivery is published: streamed with a size cap and a
 * timeout, typed by magic bytes. A 4xx or a wrong type can never pass (invalid); a network error
 * or 5xx may (transient). The media store of issue #5 replaces this for uploaded files.
 */
export function createUrlMediaLoader(options: UrlLoaderOptions): MediaLoader {
  return async (item, signal): Promise<LoadedMedia> => {
    const url = new URL(item.url);
    let response: Response;
    try {
      response = await options.fetch(url, { signal: deadline([signal], options.timeoutMs) });
    } catch {
      throw mediaError('transient', `Could not download the attachment from ${url.host}.`);
    }
    if (!response.ok) {
      const kind = response.status >= 500 || response.status === 429 ? 'transient' : 'invalid';
      throw mediaError(kind, `The attachment at ${url.host} answered ${response.status}.`, response.status);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readCapped(response, options.maxBytes);
    } catch (e) {
      if (e instanceof PlatformError) throw e;
      // The connection dropped or stalled while the body was coming: worth another try.
      throw mediaError('transient', `The download from ${url.host} broke off.`);
    }
    const mimeType = sniffMediaType(bytes);
    if (!mimeType) throw mediaError('invalid', 'The attachment is not a JPEG, PNG, GIF, WebP image or MP4 video.');
    return { bytes, mimeType, ...(item.alt ? { alt: item.alt } : {}) };
  };
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw mediaError('invalid', `The attachment is larger than ${maxBytes} bytes.`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return new Uint8Array();
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw mediaError('invalid', `The attachment is larger than ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
