import type { TextRules } from '../../core/content.js';
import { countCodePoints } from '../../core/text-length.js';
import { MastodonApi, site } from './api.js';

/** The limits an instance states (`GET /api/v2/instance` → `configuration`). */
export interface InstanceLimits {
  maxCharacters: number;
  maxMediaAttachments: number;
  charactersReservedPerUrl: number;
  /** Longest media description (alt text). */
  descriptionLimit: number;
  /** Largest image in bytes (`image_size_limit`). */
  imageSizeLimit: number;
  /** Most pixels of an image (`image_matrix_limit`). */
  imageMatrixLimit: number;
  /** Largest video in bytes (`video_size_limit`). */
  videoSizeLimit: number;
  /** The types it takes (`supported_mime_types`), when it says. */
  supportedMimeTypes?: readonly string[] | undefined;
  /** The domain in the instance's handles (`LOCAL_DOMAIN`, may differ from the API's host). */
  domain?: string | undefined;
}

/** What mastodon.social and most instances state; used when an instance says nothing. */
export const defaultLimits = {
  maxCharacters: 500,
  maxMediaAttachments: 4,
  charactersReservedPerUrl: 23,
  descriptionLimit: 1500,
  // Mastodon 4.x defaults: 16 MB and 33,177,600 pixels (7680 × 4320).
  imageSizeLimit: 16 * 1024 * 1024,
  imageMatrixLimit: 33_177_600,
  // 99 MB (103,809,024 bytes), what mastodon.social states.
  videoSizeLimit: 99 * 1024 * 1024,
} as const satisfies InstanceLimits;

const urlPattern = /https?:\/\/[^\s<>"]+/g;
// `@user@domain` counts as `@user`: Mastodon counts only the local part of a remote mention.
const remoteMention = /(^|[^\w/])(@\w+)@[\w.-]+\w/g;

/** Counts a status as Mastodon does: code points, each URL as the instance's reserved length. */
export function countCharacters(text: string, limits: Pick<InstanceLimits, 'charactersReservedPerUrl'>): number {
  const placeholder = 'x'.repeat(limits.charactersReservedPerUrl);
  return countCodePoints(text.replace(urlPattern, placeholder).replace(remoteMention, '$1$2'));
}

export function rulesFor(limits: InstanceLimits): TextRules {
  return {
    maxLength: limits.maxCharacters,
    unit: 'characters',
    count: (text) => countCharacters(text, limits),
    threads: true,
  };
}

interface CacheEntry {
  limits: InstanceLimits;
  at: number;
}

/**
 * Instance limits, read once per instance and kept for `ttlMs`. An instance that cannot be read
 * gives the defaults for a short while (a minute), so a post is never refused because an
 * instance was slow to answer; the instance enforces its real limits when publishing anyway.
 */
export class InstanceLimitsCache {
  readonly #entries = new Map<string, CacheEntry>();

  constructor(
    private readonly timeoutMs: number,
    private readonly ttlMs = 3_600_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(instanceUrl: string, signal: AbortSignal): Promise<InstanceLimits> {
    const now = this.clock();
    const cached = this.#entries.get(instanceUrl);
    if (cached && now < cached.at) return cached.limits;
    const limits = await this.#read(instanceUrl, signal);
    this.#entries.set(instanceUrl, { limits: limits ?? defaultLimits, at: now + (limits ? this.ttlMs : 60_000) });
    return limits ?? defaultLimits;
  }

  /** `GET /api/v2/instance`, else v1 (older instances, forks); unauthenticated: it is public. */
  async #read(instanceUrl: string, signal: AbortSignal): Promise<InstanceLimits | null> {
    const api = new MastodonApi(instanceUrl, undefined, this.timeoutMs, this.clock);
    const v2 = await api.call(site('GET', '/api/v2/instance'), signal, (c) => c.v2.instance.fetch()).catch(() => null);
    if (v2 && typeof v2 === 'object') return limitsFrom(v2 as InstanceBody);
    const v1 = await api.call(site('GET', '/api/v1/instance'), signal, (c) => c.v1.instance.fetch()).catch(() => null);
    return v1 && typeof v1 === 'object' ? limitsFrom(v1 as InstanceBody) : null;
  }
}

/** What hayon reads of an Instance entity, as masto gives it (keys in camelCase). */
interface InstanceBody {
  /** v2. */
  domain?: string;
  /** v1. */
  uri?: string;
  configuration?: {
    statuses?: { maxCharacters?: number; maxMediaAttachments?: number; charactersReservedPerUrl?: number };
    mediaAttachments?: {
      descriptionLimit?: number;
      imageSizeLimit?: number;
      imageMatrixLimit?: number;
      videoSizeLimit?: number;
      supportedMimeTypes?: unknown;
    };
  };
  /** v1 on older instances and forks (Pleroma, Akkoma). */
  maxTootChars?: number;
}

function limitsFrom(body: InstanceBody): InstanceLimits {
  const statuses = body.configuration?.statuses ?? {};
  const media = body.configuration?.mediaAttachments ?? {};
  const positive = (n: unknown, fallback: number) => (typeof n === 'number' && n > 0 ? n : fallback);
  const domain = body.domain ?? body.uri?.replace(/^https?:\/\//, '');
  const types = media.supportedMimeTypes;
  return {
    ...(domain ? { domain } : {}),
    maxCharacters: positive(statuses.maxCharacters ?? body.maxTootChars, defaultLimits.maxCharacters),
    maxMediaAttachments: positive(statuses.maxMediaAttachments, defaultLimits.maxMediaAttachments),
    charactersReservedPerUrl: positive(statuses.charactersReservedPerUrl, defaultLimits.charactersReservedPerUrl),
    descriptionLimit: positive(media.descriptionLimit, defaultLimits.descriptionLimit),
    imageSizeLimit: positive(media.imageSizeLimit, defaultLimits.imageSizeLimit),
    imageMatrixLimit: positive(media.imageMatrixLimit, defaultLimits.imageMatrixLimit),
    videoSizeLimit: positive(media.videoSizeLimit, defaultLimits.videoSizeLimit),
    ...(Array.isArray(types) && types.length > 0 && types.every((t) => typeof t === 'string')
      ? { supportedMimeTypes: types as string[] }
      : {}),
  };
}

/**
 * The instance URL of each account, kept so that checking a post (rules, validate) does not open
 * the account's credentials each time. Keyed by the account's id and its sealed credentials, which
 * change whenever the credentials do (a reconnect, a key rotation), so a stale URL is never used.
 * The oldest entries go beyond `max`.
 */
export class AccountInstanceUrls {
  readonly #urls = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  get(account: { id: string; credentials: string }, open: () => string): string {
    const key = `${account.id}\n${account.credentials}`;
    let url = this.#urls.get(key);
    if (url === undefined) {
      url = open();
      if (this.#urls.size >= this.max) this.#urls.delete(this.#urls.keys().next().value!);
      this.#urls.set(key, url);
    }
    return url;
  }
}
