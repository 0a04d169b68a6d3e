import { createHash, randomUUID } from 'node:crypto';
import { HayonError, PlatformError } from '../core/errors.js';
import type { AttachedMedia, MediaInput, MediaIntake } from '../core/media-intake.js';
import type { MediaItem } from '../core/post.js';
import { uploadIdPattern } from '../core/post-request.js';
import type { ImageLimits, LoadedMedia, MediaLoader } from '../platforms/platform.js';
import type { ResolvedMedia } from '../core/content.js';
import {
  extensionFor,
  isMediaType,
  type MediaStore,
  MediaStoreUnavailableError,
  type MediaType,
  type UploadTarget,
} from './media-store.js';
import { ObjectTooLargeError } from './read-capped.js';
import { convertToJpeg, fitImage, ImageProcessingError, normalizeImage } from './process.js';
import { DownloadError, type DownloadOptions, type Downloaded, downloadUrl } from '../net/safe-fetch.js';
import { mp4Info } from '../core/mp4-info.js';
import { sniffMediaType } from './sniff.js';

export interface MediaServiceOptions {
  store: MediaStore;
  /** Largest attachment taken, downloaded or uploaded. */
  maxBytes: number;
  /** One attachment download. */
  fetchTimeoutMs: number;
  /** Hosts attachment URLs may reach although private (`HAYON_FETCH_ALLOW_HOSTS`). */
  allowHosts: readonly string[];
  /** Replaces the SSRF-safe download (tests serve attachments without a network). */
  download?: (url: string, options: DownloadOptions) => Promise<Downloaded>;
  now?: () => number;
}

/** How long a signed URL handed to a platform stays valid: long enough for Meta's video processing. */
export const platformUrlSeconds = 6 * 3600;
/** How long an upload URL from `POST /v1/uploads` may be used. */
export const uploadUrlSeconds = 3600;
/** Uploads not used in a post by then are removed (S3: by a lifecycle rule; any store: by `sweepTemp`). */
export const tempMaxAgeMs = 24 * 3600_000;

/**
 * A 12-megapixel photo takes about 200 MB while sharp works on it (bench/media.ts), and a worker
 * publishes up to 16 deliveries at once: images are processed two at a time, the rest wait.
 */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

const imageSlots = new Slots(2);

const typeNames: Record<MediaType, string> = {
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
  'image/webp': 'WebP image',
  'image/gif': 'GIF image',
  'video/mp4': 'MP4 video',
};
const accepted = 'a JPEG, PNG, GIF or WebP image, or an MP4 video';

/**
 * The media layer: brings attachments into the media store when a post is accepted (downloads
 * checked against SSRF, types by content, metadata stripped), hands out upload URLs, makes the
 * version of each image that fits a platform (once, kept beside the original), and loads media
 * for the adapters that upload bytes.
 */
export class MediaService implements MediaIntake {
  readonly #download: (url: string, options: DownloadOptions) => Promise<Downloaded>;
  readonly #now: () => number;

  constructor(private readonly options: MediaServiceOptions) {
    this.#download = options.download ?? downloadUrl;
    this.#now = options.now ?? Date.now;
  }

  get store(): MediaStore {
    return this.options.store;
  }

  async attach(workspaceId: string, postId: string, inputs: readonly MediaInput[]): Promise<AttachedMedia> {
    const { store } = this.options;
    const written: string[] = [];
    const consumed: string[] = [];
    const items: MediaItem[] = [];
    try {
      // One at a time: each may be tens of megabytes in memory while it is processed.
      for (const [n, input] of inputs.entries()) {
        const source = await this.#fetch(workspaceId, input);
        const stored = await this.#prepareOriginal(source.bytes, input);
        const key = `posts/${workspaceId}/${postId}/${n}.${extensionFor[stored.mimeType]}`;
        await store.put(key, stored.bytes, stored.mimeType);
        written.push(key);
        if (source.uploadKey) consumed.push(source.uploadKey);
        items.push({
          key,
          mimeType: stored.mimeType,
          size: stored.bytes.length,
          ...(stored.width ? { width: stored.width, height: stored.height } : {}),
          ...('durationMs' in stored && stored.durationMs ? { durationMs: stored.durationMs } : {}),
          ...(input.ref.url ? { url: input.ref.url } : {}),
          ...(input.ref.alt ? { alt: input.ref.alt } : {}),
        });
      }
    } catch (e) {
      await store.delete(written).catch(() => undefined);
      throw e;
    }
    return {
      items,
      commit: () => store.delete(consumed),
      discard: () => store.delete(written),
    };
  }

  /** The bytes of one input: downloaded from its URL, or read from its upload. */
  async #fetch(workspaceId: string, input: MediaInput): Promise<{ bytes: Buffer; uploadKey?: string }> {
    const { ref, field } = input;
    if (ref.id !== undefined) {
      const uploadKey = uploadKeyOf(workspaceId, ref.id);
      const missing = () =>
        invalid(
          `${field}.id`,
          `${field}.id: no upload ${ref.id} in this workspace. Create one with POST /v1/uploads and PUT the file to its URL first; uploads not used in a post are removed after 24 hours.`,
        );
      // A presigned S3 PUT takes any size: the object's length first, then a read capped at the
      // limit, so an upload larger than it is never read into memory.
      const { maxBytes } = this.options;
      const head = await this.options.store.head(uploadKey);
      if (!head) throw missing();
      if (head.size > maxBytes) throw tooLarge(`${field}.id`, maxBytes);
      const object = await this.options.store.get(uploadKey, { maxBytes }).catch((e: unknown) => {
        if (e instanceof ObjectTooLargeError) throw tooLarge(`${field}.id`, maxBytes);
        throw e;
      });
      if (!object) throw missing();
      return { bytes: object.bytes, uploadKey };
    }
    return { bytes: await this.#downloadFor(`${field}.url`, ref.url ?? '') };
  }

  /** A download for a request field: a refusal or failure is a 4xx naming the field. */
  async #downloadFor(
    field: string,
    url: string,
    options: { headers?: Record<string, string>; trustedHosts?: readonly string[] } = {},
  ): Promise<Buffer> {
    try {
      const { bytes } = await this.#download(url, {
        maxBytes: this.options.maxBytes,
        timeoutMs: this.options.fetchTimeoutMs,
        allowHosts: [...this.options.allowHosts, ...(options.trustedHosts ?? [])],
        ...(options.headers ? { headers: options.headers } : {}),
      });
      return bytes;
    } catch (e) {
      if (!(e instanceof DownloadError)) throw e;
      if (e.reason === 'too_large') throw tooLarge(field, this.options.maxBytes);
      throw invalid(field, `${field}: ${e.message}`, e);
    }
  }

  /** Type by content; images oriented and stripped of metadata (EXIF with GPS, XMP); videos as they are. */
  async #prepareOriginal(bytes: Buffer, input: MediaInput) {
    const field = `${input.ref.id !== undefined ? `${input.field}.id` : `${input.field}.url`}`;
    const mimeType = sniffMediaType(bytes);
    if (!mimeType) {
      const message = `${field}: the file is not ${accepted} (judged by its content, not its name).`;
      throw new HayonError('unsupported_media_type', message, { field, userMessage: message });
    }
    const declared = input.ref.id?.split('.').pop();
    if (declared && extensionFor[mimeType] !== declared) {
      const message = `${field}: the upload was declared as .${declared} but the file is a ${typeNames[mimeType]}.`;
      throw new HayonError('unsupported_media_type', message, { field, userMessage: message });
    }
    if (mimeType === 'video/mp4') {
      // Size and length from the header, for platforms' limits at the door and aspect ratios.
      const info = mp4Info(bytes);
      return { bytes, mimeType, width: info?.width ?? 0, height: info?.height ?? 0, durationMs: info?.durationMs };
    }
    try {
      const image = await imageSlots.run(() => normalizeImage(bytes, mimeType));
      if (!isMediaType(image.mimeType)) throw new Error(`normalizeImage returned ${image.mimeType}`);
      return { ...image, mimeType: image.mimeType };
    } catch (e) {
      if (!(e instanceof ImageProcessingError)) throw e;
      const message =
        e.reason === 'too-many-pixels'
          ? `${field}: the image has more than 100 megapixels; hayon takes smaller ones.`
          : `${field}: the file starts like a ${typeNames[mimeType]} but is not a valid one.`;
      throw new HayonError('unsupported_media_type', message, { field, userMessage: message, cause: e });
    }
  }

  /**
   * A local file (the CLI's `--media ./photo.jpg`) as an upload: checked by its content and kept
   * under `temp/` like an upload through the API; answers the id to use in the post.
   */
  async stageFile(workspaceId: string, bytes: Buffer, field: string): Promise<string> {
    if (bytes.length > this.options.maxBytes) throw tooLarge(field, this.options.maxBytes);
    const type = sniffMediaType(bytes);
    if (!type) {
      const message = `${field}: the file is not ${accepted} (judged by its content, not its name).`;
      throw new HayonError('unsupported_media_type', message, { field, userMessage: message });
    }
    const id = `${randomUUID()}.${extensionFor[type]}`;
    await this.options.store.put(uploadKeyOf(workspaceId, id), bytes, type);
    return id;
  }

  /**
   * A file a chat platform holds (Slack's `url_private` with the bot token, a Discord attachment),
   * downloaded and kept as an upload; answers its id. `trustedHosts` are the platform's own API
   * hosts, reachable even when private (tests, self-hosted chat).
   */
  async stageUrl(
    workspaceId: string,
    url: string,
    options: { headers?: Record<string, string>; trustedHosts?: readonly string[] },
    field: string,
  ): Promise<string> {
    return this.stageFile(workspaceId, await this.#downloadFor(field, url, options), field);
  }

  /** `POST /v1/uploads`: an id for `media: [{id}]` and where to PUT the file. */
  async createUpload(
    workspaceId: string,
    type: MediaType,
    size: number,
  ): Promise<{ id: string; upload: UploadTarget }> {
    const id = `${randomUUID()}.${extensionFor[type]}`;
    const upload = await this.options.store.uploadTarget(uploadKeyOf(workspaceId, id), type, size, uploadUrlSeconds);
    return { id, upload };
  }

  /** A signed, expiring URL to show a stored attachment to a signed-in person (the web page); valid an hour. */
  viewUrl(key: string): Promise<string> {
    return this.options.store.downloadUrl(key, 3600);
  }

  /**
   * The attachments as one platform gets them: each stored image in a version within the
   * platform's limits (made once and kept beside the original), each with a signed URL that
   * platforms fetching by URL (Threads, Instagram, Facebook) can read. Media without a key (posts
   * from before the media store) pass unchanged.
   */
  async forPlatform(media: readonly ResolvedMedia[], limits: ImageLimits): Promise<ResolvedMedia[]> {
    return this.#fitted(media, limits).catch((e: unknown) => {
      // The media store away: the attempt is transient and retried, not an internal failure.
      if (!(e instanceof MediaStoreUnavailableError)) throw e;
      throw new PlatformError('transient', 'The media store could not be read.', { platform: 'media', cause: e });
    });
  }

  #fitted(media: readonly ResolvedMedia[], limits: ImageLimits): Promise<ResolvedMedia[]> {
    return Promise.all(
      media.map(async (item) => {
        if (!item.key) return item;
        const key = item.mimeType?.startsWith('image/')
          ? await this.#variant(item.key, item.mimeType, limits)
          : item.key;
        const url = await this.options.store.downloadUrl(key, platformUrlSeconds);
        const mimeType = key === item.key ? item.mimeType : (await this.options.store.head(key))?.mimeType;
        return { ...item, key, url, ...(mimeType ? { mimeType } : {}) };
      }),
    );
  }

  /** The key of a version of the image within `limits`: the original when it fits, else a kept variant. */
  async #variant(key: string, mimeType: string, limits: ImageLimits): Promise<string> {
    const { store } = this.options;
    const variantKey = `${key.replace(/\.[a-z0-9]+$/, '')}-fit-${limitsTag(limits)}`;
    if (await store.head(variantKey)) return variantKey;
    const original = await store.get(key);
    if (!original)
      throw new PlatformError('invalid', 'An attachment of this post is missing from the media store.', {
        platform: 'media',
      });
    let bytes = original.bytes;
    let type = mimeType;
    if (limits.types && !limits.types.includes(type)) {
      const source = bytes;
      bytes = await imageSlots.run(() => convertToJpeg(source));
      type = 'image/jpeg';
    }
    let fitted: Awaited<ReturnType<typeof fitImage>>;
    try {
      const source = bytes;
      fitted = await imageSlots.run(() =>
        fitImage(source, type, {
          maxBytes: limits.maxBytes,
          ...(limits.maxDimension ? { maxDimension: limits.maxDimension } : {}),
          ...(limits.maxPixels ? { maxPixels: limits.maxPixels } : {}),
        }),
      );
    } catch (e) {
      if (!(e instanceof ImageProcessingError)) throw e;
      throw new PlatformError('invalid', `An image could not be brought within the platform's limits: ${e.message}`, {
        platform: 'media',
        cause: e,
      });
    }
    if (type === mimeType && fitted.bytes.equals(original.bytes)) return key;
    await store.put(variantKey, fitted.bytes, fitted.mimeType);
    return variantKey;
  }

  /**
   * Loads media for adapters that upload bytes (Bluesky, Mastodon, Tumblr): from the media store
   * when stored there; by URL (SSRF-checked) for posts from before the media store.
   */
  readonly load: MediaLoader = async (item, signal): Promise<LoadedMedia> => {
    const alt = item.alt ? { alt: item.alt } : {};
    if (item.key) {
      let object: Awaited<ReturnType<MediaStore['get']>>;
      try {
        object = await this.options.store.get(item.key);
      } catch (e) {
        throw new PlatformError('transient', 'The media store could not be read.', { platform: 'media', cause: e });
      }
      if (!object)
        throw new PlatformError('invalid', 'An attachment of this post is missing from the media store.', {
          platform: 'media',
        });
      return { bytes: object.bytes, mimeType: object.mimeType, ...alt };
    }
    try {
      const { bytes } = await this.#download(item.url, {
        maxBytes: this.options.maxBytes,
        timeoutMs: this.options.fetchTimeoutMs,
        allowHosts: this.options.allowHosts,
        signal,
      });
      const mimeType = sniffMediaType(bytes);
      if (!mimeType) throw new PlatformError('invalid', `The attachment is not ${accepted}.`, { platform: 'media' });
      return { bytes, mimeType, ...alt };
    } catch (e) {
      if (!(e instanceof DownloadError)) throw e;
      const again = e.reason === 'network' || e.reason === 'timeout' || (e.status ?? 0) >= 500 || e.status === 429;
      throw new PlatformError(again ? 'transient' : 'invalid', e.message, { platform: 'media', cause: e });
    }
  };

  /** Removes uploads older than 24 h that no post used; answers how many. For stores without a lifecycle rule. */
  async sweepTemp(): Promise<number> {
    const cutoff = this.#now() - tempMaxAgeMs;
    const old: string[] = [];
    for await (const object of this.options.store.list('temp/')) {
      if (object.modifiedAt < cutoff) old.push(object.key);
    }
    await this.options.store.delete(old);
    return old.length;
  }
}

function uploadKeyOf(workspaceId: string, id: string): string {
  if (!uploadIdPattern.test(id)) throw new Error(`not an upload id: ${id}`);
  return `temp/${workspaceId}/${id}`;
}

/** A short, stable name for a set of limits, so a variant made for them is found again. */
function limitsTag(limits: ImageLimits): string {
  const parts = [limits.maxBytes, limits.maxDimension ?? 0, limits.maxPixels ?? 0, ...(limits.types ?? [])];
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 12);
}

function invalid(field: string, message: string, cause?: unknown): HayonError {
  return new HayonError('invalid_request', message, { field, userMessage: message, cause });
}

function tooLarge(field: string, maxBytes: number): HayonError {
  const message = `${field}: the file is larger than ${formatBytes(maxBytes)}, the most hayon takes (HAYON_MEDIA_MAX_BYTES).`;
  return new HayonError('payload_too_large', message, { field, userMessage: message });
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${+(n / 1024 / 1024).toFixed(1)} MB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KB`
      : `${n} bytes`;
}
