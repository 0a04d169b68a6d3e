import { PlatformError } from '../../core/errors.js';
import type { Platform, PlatformDeps, PublishInput, PublishResult } from '../platform.js';
import type { TumblrApi, Upload } from './api.js';
import { BearerTumblrApi, type TumblrEndpoint } from './bearer-api.js';
import { blogNameOf, parseCredentials, type TumblrCredentials } from './credentials.js';
import { buildContent, carriesMarker, findLinks, type LinkCard, markerFor, slugFor } from './npf.js';
import { TumblrJsApi } from './tumblr-js-api.js';
import { checkUpload, tumblrRules, validateContent } from './validate.js';

export interface TumblrOptions extends TumblrEndpoint {
  /** How many of the blog's latest posts reconcile looks through (Tumblr lists 20 per page). */
  reconcileDepth: number;
}

const defaults = {
  apiUrl: 'https://api.tumblr.com',
  userAgent: 'hayon/1 (tumblr adapter)',
  reconcileDepth: 60,
} as const satisfies TumblrOptions;

const pageSize = 20;

/**
 * The Tumblr adapter: NPF posts over Tumblr's REST API, through tumblr.js for OAuth 1.0a accounts
 * and a thin bearer-token client for OAuth 2 ones (api.ts: one interface, so the logic below is
 * written once). The API base URL is a factory option (`apiUrl`), not a credential: it is a
 * property of the deployment, and an account's owner should not be able to point its token
 * elsewhere.
 *
 * Tumblr has no idempotency key: every post carries a marker derived from `input.key` in its
 * custom slug (see `markerFor`), `saveCheckpoint({ started: true })` precedes the create call, and
 * an attempt that finds that checkpoint first looks for its post among the blog's latest posts.
 *
 * A post with a link and no media ends with an NPF link block for its first link (off with
 * `linkPreview: false`); a video is uploaded as a native video block (validate.ts has the limits).
 *
 * Credentials: see credentials.ts.
 */
export function createTumblrPlatform(deps: PlatformDeps, options: Partial<TumblrOptions> = {}): Platform {
  const opts = { ...defaults, ...options, apiUrl: (options.apiUrl ?? defaults.apiUrl).replace(/\/+$/, '') };

  const apiFor = (
    credentials: Record<string, unknown>,
    save?: (creds: TumblrCredentials) => Promise<void>,
  ): TumblrApi => {
    const creds = parseCredentials(credentials);
    return creds.auth === 'oauth1'
      ? new TumblrJsApi(deps, opts.apiUrl, creds)
      : new BearerTumblrApi(deps, opts, creds, save);
  };
  const apiForInput = (input: Pick<PublishInput, 'credentials' | 'saveCredentials'>) =>
    apiFor(input.credentials, (c) => input.saveCredentials({ ...input.credentials, ...stored(c) }));

  const resultFor = (creds: TumblrCredentials, id: string, blogName = blogNameOf(creds)): PublishResult => ({
    remoteId: id,
    url: blogName ? `https://www.tumblr.com/${blogName}/${id}` : `https://${creds.blog}/post/${id}`,
  });

  async function findPost(api: TumblrApi, key: string, signal: AbortSignal): Promise<PublishResult | null> {
    const creds = api.credentials;
    const marker = markerFor(key);
    for (let offset = 0; offset < opts.reconcileDepth; offset += pageSize) {
      const page = await api.posts(creds.blog, { limit: pageSize, offset }, signal);
      const posts = page.posts ?? [];
      const found = posts.find((p) => carriesMarker(p, marker));
      if (found) return resultFor(creds, String(found.id_string ?? found.id), found.blog_name ?? blogNameOf(creds));
      if (posts.length < pageSize) break;
    }
    return null;
  }

  /** Loads the attachments, checked against Tumblr's limits; each becomes one upload named by its block's identifier. */
  async function load(input: PublishInput): Promise<(Upload & { alt?: string | undefined })[]> {
    const uploads: (Upload & { alt?: string | undefined })[] = [];
    for (const [i, item] of input.content.media.entries()) {
      const media = await input.loadMedia(item, input.signal);
      const refused = checkUpload(i, media.mimeType, media.bytes.length);
      if (refused) throw new PlatformError('invalid', refused, { platform: 'tumblr' });
      uploads.push({
        identifier: `media-${i}`,
        mimeType: media.mimeType,
        alt: item.alt ?? media.alt,
        bytes: media.bytes,
      });
    }
    return uploads;
  }

  /**
   * The first link's card, for a post without media, unless the request turned cards off. Its
   * title, description and poster come from the page's Open Graph data read by `deps.linkPreview`
   * (the shared SSRF-safe reader; the poster is the image's URL, which Tumblr fetches). When there
   * is no reader, or the page cannot be read, the block carries the URL alone: NPF documents that
   * Tumblr then reads the page's Open Graph data itself when the post is created.
   */
  async function cardFor(input: PublishInput): Promise<LinkCard | undefined> {
    if (input.content.media.length > 0 || input.content.linkPreview === false) return undefined;
    const url = findLinks(input.content.text)[0]?.url;
    if (!url) return undefined;
    const read = await deps.linkPreview?.(url, { signal: input.signal }).catch((e: unknown) => {
      if (input.signal.aborted) throw e;
      return null;
    });
    if (!read) return { url };
    return {
      url,
      title: read.title,
      description: read.description,
      ...(read.imageUrl ? { image: { url: read.imageUrl } } : {}),
    };
  }

  return {
    id: 'tumblr',
    rules: async () => tumblrRules,
    // Tumblr states 10 MB per image (20 MB for some types on the web; the API is the lower).
    imageLimits: async () => ({ maxBytes: 10 * 1024 * 1024 }),
    validate: async (content) => validateContent(content),

    async verify(credentials, signal) {
      const api = apiFor(credentials);
      const info = await api.userInfo(signal);
      const creds = api.credentials;
      const wanted = creds.blog.toLowerCase();
      const blog = info.user.blogs.find((b) => {
        const host = b.url ? safeHost(b.url) : undefined;
        return [b.name.toLowerCase(), `${b.name.toLowerCase()}.tumblr.com`, b.uuid?.toLowerCase(), host].includes(
          wanted,
        );
      });
      if (!blog) {
        throw new PlatformError(
          'auth',
          `The Tumblr account ${info.user.name} cannot post to the blog ${creds.blog} (its blogs: ${info.user.blogs.map((b) => b.name).join(', ')}).`,
          { platform: 'tumblr', route: '/v2/user/info' },
        );
      }
      return {
        handle: blog.name,
        remoteId: blog.uuid ?? blog.name,
        credentials: {
          ...credentials,
          ...stored(api.credentials),
          blogName: blog.name,
          ...(blog.uuid ? { blogUuid: blog.uuid } : {}),
        },
      };
    },

    async publish(input) {
      const api = apiForInput(input);
      // An earlier attempt reached the create call and its outcome is unknown: look first.
      if (input.checkpoint?.started === true) {
        const earlier = await findPost(api, input.key, input.signal);
        if (earlier) return earlier;
      }
      const uploads = await load(input);
      const card = await cardFor(input);
      const post = {
        content: buildContent(input.content.text, uploads, card),
        // hayon schedules itself: Tumblr's queue and `publish_on` are not used.
        state: 'published' as const,
        slug: slugFor(input.content.text, input.key),
      };
      await input.saveCheckpoint({ ...input.checkpoint, started: true });
      const creds = api.credentials;
      const created = await api.createPost(creds.blog, post, uploads, input.signal);
      const id = created.id_string ?? created.id;
      if (id === undefined) {
        throw new PlatformError('transient', 'Tumblr answered the post creation without a post id.', {
          platform: 'tumblr',
          route: '/v2/blog/{blog}/posts',
        });
      }
      return resultFor(api.credentials, String(id));
    },

    reconcile: async (input) => findPost(apiForInput(input), input.key, input.signal),

    /** `POST /v2/blog/{blog}/post/delete` per post; a 404 means it is gone already. */
    async remove(input) {
      const api = apiForInput(input);
      for (const post of [...input.posts].reverse()) {
        await api.deletePost(api.credentials.blog, post.remoteId, input.signal).catch((e: unknown) => {
          if (!(e instanceof PlatformError && e.httpStatus === 404)) throw e;
        });
      }
    },

    // OAuth 2 tokens live 42 minutes: renewed ahead with the refresh token, so that a grant
    // Tumblr no longer accepts is found by the periodic refresh rather than by a post.
    async refreshAhead(credentials, aheadMs, signal) {
      const creds = parseCredentials(credentials);
      if (creds.auth !== 'oauth2') return null;
      const api = new BearerTumblrApi(deps, opts, creds, undefined);
      if (!api.refreshableBefore(Date.now() + aheadMs)) return null;
      await api.refresh(signal);
      return { ...credentials, ...stored(api.credentials) };
    },
  };
}

/** Credentials as stored: without the parser's `auth` tag. */
function stored(c: TumblrCredentials): Record<string, unknown> {
  const { auth: _, ...rest } = c;
  return rest;
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
