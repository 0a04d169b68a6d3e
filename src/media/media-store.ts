import { HayonError } from '../core/errors.js';
import { storeRetryAfterSec } from '../core/store-unavailable.js';

/**
 * The media store: where every attachment lives once hayon has it. Keys are
 * `temp/{workspace}/{uuid}.{ext}` for uploads not yet in a post (removed after 24 h) and
 * `posts/{workspace}/{postId}/{n}.{ext}` (plus per-platform variants beside them) once the post
 * is stored. Two adapters: local disk (embedded default) and S3. Both pass
 * `media-store.contract.ts`.
 */
export interface MediaStore {
  /** `disk` or `s3`, for messages and the README's lifecycle advice. */
  readonly kind: 'disk' | 's3';

  /** Writes the object whole; an existing object under the key is replaced. */
  put(key: string, bytes: Uint8Array, mimeType: string): Promise<void>;

  /**
   * The object's bytes and type, or null when there is none. With `maxBytes`, an object larger
   * than that is an `ObjectTooLargeError` (read-capped.ts) found from its size before reading
   * where the store knows it, and otherwise by a read that stops at the cap: never held whole.
   */
  get(key: string, options?: { maxBytes?: number }): Promise<{ bytes: Buffer; mimeType: string } | null>;

  /** Size, type and time of last change, or null when there is none. */
  head(key: string): Promise<StoredObject | null>;

  /** Removes the objects; keys that do not exist are ignored. */
  delete(keys: readonly string[]): Promise<void>;

  /** Every object whose key starts with `prefix`, in no particular order. */
  list(prefix: string): AsyncIterable<StoredObject>;

  /**
   * A URL that anyone may GET the object at until it expires: what Threads, Instagram and
   * Facebook fetch. Disk: hayon's own `/media/…` route, HMAC-signed; S3: a presigned GET.
   */
  downloadUrl(key: string, expiresInSeconds: number): Promise<string>;

  /**
   * Where a client PUTs a new object of exactly this type (and, on disk, at most this size)
   * until it expires. Disk: hayon's `/v1/uploads/…` route, HMAC-signed; S3: a presigned PUT.
   */
  uploadTarget(key: string, mimeType: string, size: number, expiresInSeconds: number): Promise<UploadTarget>;

  /** Creates what the store needs (the directory); S3 checks the bucket answers. */
  init(): Promise<void>;

  /** Releases connections. */
  close(): void;
}

export interface StoredObject {
  key: string;
  size: number;
  mimeType: string;
  /** Epoch milliseconds. */
  modifiedAt: number;
}

export interface UploadTarget {
  method: 'PUT';
  url: string;
  /** Headers the PUT must carry (`Content-Type`). */
  headers: Record<string, string>;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** File extensions for the media types hayon takes. */
export const extensionFor = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
} as const satisfies Record<string, string>;

export type MediaType = keyof typeof extensionFor;

export function isMediaType(x: string): x is MediaType {
  return Object.hasOwn(extensionFor, x);
}

/** Keys are made by hayon only: letters, digits, `/ . _ -`, no `..`, no leading slash. */
const keyPattern = /^(?!.*\.\.)(?!\/)[A-Za-z0-9/_.-]{1,512}$/;

export function assertKey(key: string): void {
  if (!keyPattern.test(key)) throw new Error(`invalid media key: ${JSON.stringify(key)}`);
}

/**
 * The media store cannot be reached or does not answer (S3 down, a 5xx, a timeout). At ingest the
 * API answers 503 `store_unavailable` with `Retry-After` and this sentence, which names the media
 * store; nothing of the post was kept, so the same request can be sent again. At publish the
 * attempt is transient and retried.
 */
export class MediaStoreUnavailableError extends HayonError {
  constructor(kind: MediaStore['kind'], cause: unknown) {
    const store = kind === 's3' ? 'the media store (S3)' : 'the media store (disk)';
    super('store_unavailable', `media store unavailable: ${kind}`, {
      cause,
      userMessage: `hayon cannot store attachments right now: ${store} is not answering. Try again in a minute.`,
      retryAfterSec: storeRetryAfterSec,
    });
    this.name = 'MediaStoreUnavailableError';
  }
}
