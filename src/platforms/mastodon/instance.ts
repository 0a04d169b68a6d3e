import { call } from '../http.js';
import type { PlatformDeps } from '../platform.js';
import type { TextRules } from '../../core/content.js';

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
} as const satisfies InstanceLimits;

const urlPattern = /https?:\/\/[^\s<>"]+/g;
// `@user@domain` counts as `@user`: Mastodon counts only the local part of a remote mention.
const remoteMention = /(^|[^\w/])(@\w+)@[\w.-]+\w/g;

/** Counts a status as Mastodon does: code points, each URL as the instance's reserved length. */
export function countCharacters(text: string, limits: Pick<InstanceLimits, 'charactersReservedPerUrl'>): number {
  const placeholder = 'x'.repeat(limits.charactersReservedPerUrl);
  return [...text.replace(urlPattern, placeholder).replace(remoteMention, '$1$2')].length;
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
    private readonly deps: PlatformDeps,
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

  async #read(instanceUrl: string, signal: AbortSignal): Promise<InstanceLimits | null> {
    for (const route of ['/api/v2/instance', '/api/v1/instance']) {
      // Unauthenticated: instance metadata is public, and a bad token must not hide the limits.
      const at = { platform: 'mastodon', method: 'GET', route } as const;
      const answer = await call(this.deps, at, `${instanceUrl}${route}`, { signal }).catch(() => null);
      if (answer?.status === 200 && answer.body && typeof answer.body === 'object') {
        return limitsFrom(answer.body as InstanceBody);
      }
    }
    return null;
  }
}

interface InstanceBody {
  /** v2. */
  domain?: string;
  /** v1. */
  uri?: string;
  configuration?: {
    statuses?: { max_characters?: number; max_media_attachments?: number; characters_reserved_per_url?: number };
    media_attachments?: { description_limit?: number; image_size_limit?: number; image_matrix_limit?: number };
  };
  /** v1 on older instances and forks (Pleroma, Akkoma). */
  max_toot_chars?: number;
}

function limitsFrom(body: InstanceBody): InstanceLimits {
  const statuses = body.configuration?.statuses ?? {};
  const media = body.configuration?.media_attachments ?? {};
  const positive = (n: unknown, fallback: number) => (typeof n === 'number' && n > 0 ? n : fallback);
  const domain = body.domain ?? body.uri?.replace(/^https?:\/\//, '');
  return {
    ...(domain ? { domain } : {}),
    maxCharacters: positive(statuses.max_characters ?? body.max_toot_chars, defaultLimits.maxCharacters),
    maxMediaAttachments: positive(statuses.max_media_attachments, defaultLimits.maxMediaAttachments),
    charactersReservedPerUrl: positive(statuses.characters_reserved_per_url, defaultLimits.charactersReservedPerUrl),
    descriptionLimit: positive(media.description_limit, defaultLimits.descriptionLimit),
    imageSizeLimit: positive(media.image_size_limit, defaultLimits.imageSizeLimit),
    imageMatrixLimit: positive(media.image_matrix_limit, defaultLimits.imageMatrixLimit),
  };
}
