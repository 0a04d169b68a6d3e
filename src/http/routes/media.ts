import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { HayonError } from '../../core/errors.js';
import { DiskMediaStore } from '../../media/disk/disk-media-store.js';
import type { MediaStore } from '../../media/media-store.js';
import { sniffBytes, sniffMediaType } from '../../media/sniff.js';
import { readBodyCapped } from '../middleware/raw-body.js';

const typeNames: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'video/mp4': 'MP4',
};

/** The key in a `/media` path; '' (which names no media) when its percent-encoding is broken, as in `%ff`. */
function keyFrom(path: string, prefix: string): string {
  try {
    return path.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return '';
  }
}

function refused(verdict: { reason: string; field: string }): HayonError {
  return new HayonError('forbidden', verdict.reason, { field: verdict.field, userMessage: verdict.reason });
}

/**
 * The disk store's signed URLs: `GET /media/{key}` (what Threads, Instagram and Facebook fetch)
 * and `PUT /media/upload/{key}` (what `POST /v1/uploads` hands out). No token: the signature is
 * the permission. With S3 these URLs point at the bucket instead and these routes answer 404.
 */
export function mediaRoutes(store: MediaStore): Hono {
  const app = new Hono();
  if (!(store instanceof DiskMediaStore)) return app;

  app.get('/media/*', async (c) => {
    const key = keyFrom(c.req.path, '/media/');
    const verdict = store.check({ method: 'GET', key, expires: c.req.query('expires'), signature: c.req.query('sig') });
    if (!verdict.ok) throw refused(verdict);
    const object = await store.head(key);
    if (!object) {
      throw new HayonError('not_found', 'no such media', { field: 'key', userMessage: 'This media no longer exists.' });
    }
    const body = Readable.toWeb(createReadStream(store.filePath(key))) as ReadableStream;
    return new Response(body, {
      headers: {
        'content-type': object.mimeType,
        'content-length': String(object.size),
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      },
    });
  });

  app.put('/media/upload/*', async (c) => {
    const key = keyFrom(c.req.path, '/media/upload/');
    const type = c.req.query('type');
    const size = c.req.query('size');
    const verdict = store.check({
      method: 'PUT',
      key,
      expires: c.req.query('expires'),
      signature: c.req.query('sig'),
      type,
      size,
    });
    if (!verdict.ok) throw refused(verdict);
    const declared = c.req.header('content-type')?.split(';')[0]?.trim();
    if (declared !== type) {
      const message = `The upload must be sent with Content-Type: ${type}, as declared.`;
      throw new HayonError('unsupported_media_type', message, { field: 'Content-Type', userMessage: message });
    }
    const bytes = await readBodyCapped(
      c.req.raw,
      Number(size),
      `The file is larger than the ${Number(size)} bytes declared for this upload.`,
    );
    const sniffed = sniffMediaType(bytes.subarray(0, sniffBytes));
    if (sniffed !== type) {
      const message = `The file is not a ${typeNames[type ?? ''] ?? type} (its content says ${sniffed ? typeNames[sniffed] : 'otherwise'}).`;
      throw new HayonError('unsupported_media_type', message, { field: 'body', userMessage: message });
    }
    await store.put(key, bytes, sniffed);
    return c.json({ ok: true, size: bytes.length });
  });
  return app;
}
