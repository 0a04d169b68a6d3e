import { PlatformError } from '../../core/errors.js';
import type { Platform, PlatformDeps, PublishInput, PublishResult } from '../platform.js';
import { site, TumblrClient, type TumblrEndpoint } from './client.js';
import { blogNameOf, parseCredentials, type TumblrCredentials } from './credentials.js';
import { buildContent, carriesMarker, markerFor, slugFor, type UploadPart } from './npf.js';
import { tumblrRules, validateContent } from './validate.js';

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

interface UserInfo {
  user: { name: string; blogs: { name: string; uuid?: string; url?: string; primary?: boolean }[] };
}

interface ListedPost {
  id_string?: string;
  id?: number | string;
  blog_name?: string;
  slug?: string;
  post_url?: string;
}

/**
 * The Tumblr adapter: NPF posts over Tumblr's REST API with plain fetch. tumblr.js (5.0.1) is not
 * used: it sends with node:http/https itself (no injected fetch, no AbortSignal, so no per-call
 * deadline), picks https for any base URL (`url.protocol === 'http'` never matches `'http:'`), so it
 * cannot reach a local fake, knows only OAuth 1, and uploads media only from `fs.ReadStream`s.
 * The API base URL is a factory option (`apiUrl`), not a credential: it is a property of the
 * deployment, and an account's owner should not be able to point its token elsewhere.
 *
 * Tumblr has no idempotency key: every post carries a marker derived from `input.key` in its
 * custom slug (see `markerFor`), `saveCheckpoint({ started: true })` precedes the create call, and
 * an attempt that finds that checkpoint first looks for its post among the blog's latest posts.
 *
 * Credentials: see credentials.ts.
 */
export function createTumblrPlatform(deps: PlatformDeps, options: Partial<TumblrOptions> = {}): Platform {
  const opts = { ...defaults, ...options, apiUrl: (options.apiUrl ?? defaults.apiUrl).replace(/\/+$/, '') };

  const clientFor = (input: Pick<PublishInput, 'credentials' | 'saveCredentials'>) =>
    new TumblrClient(deps, opts, parseCredentials(input.credentials), (c) =>
      input.saveCredentials({ ...input.credentials, ...stored(c) }),
    );

  const blogPath = (creds: TumblrCredentials) => `/v2/blog/${encodeURIComponent(creds.blog)}`;

  const resultFor = (creds: TumblrCredentials, id: string, blogName = blogNameOf(creds)): PublishResult => ({
    remoteId: id,
    url: blogName ? `https://www.tumblr.com/${blogName}/${id}` : `https://${creds.blog}/post/${id}`,
  });

  async function findPost(client: TumblrClient, key: string, signal: AbortSignal): Promise<PublishResult | null> {
    const creds = client.credentials;
    const marker = markerFor(key);
    const at = site('GET', '/v2/blog/{blog}/posts');
    for (let offset = 0; offset < opts.reconcileDepth; offset += pageSize) {
      const page = await client.request<{ posts?: ListedPost[] }>(
        at,
        `${blogPath(creds)}/posts?limit=${pageSize}&offset=${offset}`,
        signal,
      );
      const posts = page.posts ?? [];
      const found = posts.find((p) => carriesMarker(p, marker));
      if (found) return resultFor(creds, String(found.id_string ?? found.id), found.blog_name ?? blogNameOf(creds));
      if (posts.length < pageSize) break;
    }
    return null;
  }

  /** Loads the attachments; each becomes one multipart part named by its block's identifier. */
  async function load(input: PublishInput): Promise<(UploadPart & { bytes: Uint8Array })[]> {
    const parts: (UploadPart & { bytes: Uint8Array })[] = [];
    for (const [i, item] of input.content.media.entries()) {
      const media = await input.loadMedia(item, input.signal);
      parts.push({
        identifier: `media-${i}`,
        mimeType: media.mimeType,
        alt: item.alt ?? media.alt,
        bytes: media.bytes,
      });
    }
    return parts;
  }

  /** JSON for a text post; multipart (the JSON part first, then one part per media block) with media. */
  function bodyFor(post: unknown, parts: (UploadPart & { bytes: Uint8Array })[]): { json?: unknown; form?: FormData } {
    if (parts.length === 0) return { json: post };
    const form = new FormData();
    form.append('json', new Blob([JSON.stringify(post)], { type: 'application/json' }));
    for (const p of parts) {
      const ext = p.mimeType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
      form.append(p.identifier, new Blob([p.bytes], { type: p.mimeType }), `${p.identifier}.${ext}`);
    }
    return { form };
  }

  return {
    id: 'tumblr',
    rules: async () => tumblrRules,
    // Tumblr states 10 MB per image (20 MB for some types on the web; the API is the lower).
    imageLimits: async () => ({ maxBytes: 10 * 1024 * 1024 }),
    validate: async (content) => validateContent(content),

    async verify(credentials, signal) {
      const client = new TumblrClient(deps, opts, parseCredentials(credentials), undefined);
      const info = await client.request<UserInfo>(site('GET', '/v2/user/info'), '/v2/user/info', signal);
      const creds = client.credentials;
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
          ...stored(client.credentials),
          blogName: blog.name,
          ...(blog.uuid ? { blogUuid: blog.uuid } : {}),
        },
      };
    },

    async publish(input) {
      const client = clientFor(input);
      // An earlier attempt reached the create call and its outcome is unknown: look first.
      if (input.checkpoint?.started === true) {
        const earlier = await findPost(client, input.key, input.signal);
        if (earlier) return earlier;
      }
      const parts = await load(input);
      const creds = client.credentials;
      const body = bodyFor(
        {
          content: buildContent(input.content.text, parts),
          // hayon schedules itself: Tumblr's queue and `publish_on` are not used.
          state: 'published',
          slug: slugFor(input.content.text, input.key),
        },
        parts,
      );
      await input.saveCheckpoint({ ...input.checkpoint, started: true });
      const created = await client.request<{ id?: string | number; id_string?: string }>(
        site('POST', '/v2/blog/{blog}/posts'),
        `${blogPath(creds)}/posts`,
        input.signal,
        body,
      );
      const id = created.id_string ?? created.id;
      if (id === undefined) {
        throw new PlatformError('transient', 'Tumblr answered the post creation without a post id.', {
          platform: 'tumblr',
          route: '/v2/blog/{blog}/posts',
        });
      }
      return resultFor(creds, String(id));
    },

    reconcile: async (input) => findPost(clientFor(input), input.key, input.signal),

    // OAuth 2 tokens live 42 minutes: renewed ahead with the refresh token, so that a grant
    // Tumblr no longer accepts is found by the periodic refresh rather than by a post.
    async refreshAhead(credentials, aheadMs, signal) {
      const client = new TumblrClient(deps, opts, parseCredentials(credentials), undefined);
      if (!client.refreshableBefore(Date.now() + aheadMs)) return null;
      await client.refresh(signal);
      return { ...credentials, ...stored(client.credentials) };
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
