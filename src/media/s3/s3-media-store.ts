import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  assertKey,
  type MediaStore,
  MediaStoreUnavailableError,
  type StoredObject,
  type UploadTarget,
} from '../media-store.js';
import { ObjectTooLargeError, readCapped } from '../read-capped.js';

export interface S3MediaStoreOptions {
  bucket: string;
  region: string;
  /** MinIO, R2, s3rver…; default AWS. */
  endpoint?: string | undefined;
  /** The endpoint presigned URLs name, when clients reach the store elsewhere than hayon does. */
  publicEndpoint?: string | undefined;
  forcePathStyle?: boolean | undefined;
  /** Default: the AWS SDK's own chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Epoch ms, for `expiresAt`. */
  now?: () => number;
}

/**
 * S3 or any S3-compatible store. Uploads and downloads by URL are presigned, so bytes from
 * clients and to platforms do not pass through hayon. Objects under `temp/` should be expired by
 * a bucket lifecycle rule (README); hayon's temp sweeper does the same for stores without one.
 */
export class S3MediaStore implements MediaStore {
  readonly kind = 's3';
  readonly #client: S3Client;
  /** Signs the URLs handed out: the same client, or one on the public endpoint (it never sends). */
  readonly #signer: S3Client;
  readonly #bucket: string;
  readonly #now: () => number;

  constructor(options: S3MediaStoreOptions) {
    const config: S3ClientConfig = {
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Checksums only where S3 requires them: several S3-compatible servers store the
      // checksum framing of a streamed upload inside the object otherwise.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A store that does not answer ends the call (then retried by the SDK, then ours: a 503 at
      // ingest, a transient attempt at publish) rather than hold a request for good.
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000 },
    };
    this.#client = new S3Client(config);
    // A presigned URL's signature covers its host, so it is signed for the host it will be used at.
    this.#signer = options.publicEndpoint
      ? new S3Client({ ...config, endpoint: options.publicEndpoint })
      : this.#client;
    this.#bucket = options.bucket;
    this.#now = options.now ?? Date.now;
  }

  async init(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }));
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const why = status === 404 ? 'it does not exist' : status === 403 ? 'access is denied' : (e as Error).name;
      throw new Error(
        `The S3 bucket "${this.#bucket}" cannot be used (${why}): check HAYON_S3_BUCKET, HAYON_S3_ENDPOINT and the credentials.`,
        { cause: e },
      );
    }
  }

  async put(key: string, bytes: Uint8Array, mimeType: string): Promise<void> {
    assertKey(key);
    await this.#call(() =>
      this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: bytes, ContentType: mimeType })),
    );
  }

  async get(key: string, options: { maxBytes?: number } = {}): Promise<{ bytes: Buffer; mimeType: string } | null> {
    assertKey(key);
    const { maxBytes } = options;
    try {
      const answer = await this.#call(() =>
        this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key })),
      );
      const mimeType = answer.ContentType ?? 'application/octet-stream';
      if (maxBytes === undefined) {
        return { bytes: Buffer.from((await answer.Body?.transformToByteArray()) ?? []), mimeType };
      }
      // A presigned PUT cannot cap its size: the object's length first, then a read that stops at the cap.
      const body = answer.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
      if ((answer.ContentLength ?? 0) > maxBytes) {
        body?.destroy?.();
        throw new ObjectTooLargeError(key, maxBytes);
      }
      return { bytes: body ? await readCapped(body, maxBytes, key) : Buffer.alloc(0), mimeType };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async head(key: string): Promise<StoredObject | null> {
    assertKey(key);
    try {
      const answer = await this.#call(() =>
        this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key })),
      );
      return {
        key,
        size: answer.ContentLength ?? 0,
        mimeType: answer.ContentType ?? 'application/octet-stream',
        modifiedAt: answer.LastModified?.getTime() ?? 0,
      };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    // DeleteObjects takes at most 1,000 keys per call.
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      chunk.forEach(assertKey);
      const Delete = { Objects: chunk.map((Key) => ({ Key })), Quiet: true };
      await this.#call(() => this.#client.send(new DeleteObjectsCommand({ Bucket: this.#bucket, Delete })));
    }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const input = { Bucket: this.#bucket, Prefix: prefix, ContinuationToken: token };
      const page = await this.#call(() => this.#client.send(new ListObjectsV2Command(input)));
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        // ListObjects does not return types; callers that need one ask `head`.
        yield {
          key: object.Key,
          size: object.Size ?? 0,
          mimeType: 'application/octet-stream',
          modifiedAt: object.LastModified?.getTime() ?? 0,
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async downloadUrl(key: string, expiresInSeconds: number): Promise<string> {
    assertKey(key);
    return getSignedUrl(this.#signer, new GetObjectCommand({ Bucket: this.#bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }

  async uploadTarget(key: string, mimeType: string, _size: number, expiresInSeconds: number): Promise<UploadTarget> {
    assertKey(key);
    const expiresAt = this.#now() + expiresInSeconds * 1000;
    // The content type is signed, so the PUT must carry the declared one. The size is checked
    // when the upload is used in a post (S3 presigned PUTs cannot cap it).
    const url = await getSignedUrl(
      this.#signer,
      new PutObjectCommand({ Bucket: this.#bucket, Key: key, ContentType: mimeType }),
      { expiresIn: expiresInSeconds, signableHeaders: new Set(['content-type']) },
    );
    return { method: 'PUT', url, headers: { 'Content-Type': mimeType }, expiresAt };
  }

  /** One call; an S3 that cannot be reached, answers 5xx or times out is a MediaStoreUnavailableError. */
  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === undefined || status >= 500) throw new MediaStoreUnavailableError('s3', e);
      throw e;
    }
  }

  close(): void {
    this.#client.destroy();
    if (this.#signer !== this.#client) this.#signer.destroy();
  }
}

function isMissing(e: unknown): boolean {
  if (e instanceof NoSuchKey || e instanceof NotFound) return true;
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404;
}
