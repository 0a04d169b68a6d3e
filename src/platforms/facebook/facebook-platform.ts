import type { Platform, PlatformDeps, PublishInput } from '../platform.js';
import { isGoneError } from '../meta/graph.js';
import { parseCredentials } from './credentials.js';
import { createFacebookGraph } from './graph-client.js';
import { findPost, type PageSession, publishPost } from './posts.js';
import { facebookRules, validateContent } from './validate.js';

/**
 * The Facebook Pages adapter (Graph API, plain fetch). Credentials: `{ pageId, pageAccessToken,
 * apiUrl? }` (see credentials.ts). Text and link posts go to `/{page}/feed`; photos are uploaded
 * unpublished to `/{page}/photos` and attached to one feed post; a video goes to
 * `/{page}/videos` by `file_url`. The Graph API has no idempotency key: the adapter saves a
 * checkpoint before each creating call and looks for the earlier post before posting again.
 *
 * @example
 * const facebook = createFacebookPlatform({ fetch, timeoutMs: 30_000 });
 * await facebook.publish({ key, content, credentials, saveCheckpoint, … });
 */
export function createFacebookPlatform(deps: PlatformDeps): Platform {
  const open = (raw: Record<string, unknown>): PageSession => {
    const creds = parseCredentials(raw);
    return {
      pageId: creds.pageId,
      graph: createFacebookGraph(deps, creds.apiUrl, creds.pageAccessToken),
      videoGraph: createFacebookGraph(deps, videoApiUrl(creds.apiUrl), creds.pageAccessToken),
      now: Date.now,
    };
  };

  return {
    id: 'facebook',
    rules: async () => facebookRules,
    // Page photos: JPEG, PNG or GIF; 10 MB is Facebook's stated cap (Graph API photo reference).
    imageLimits: async () => ({ maxBytes: 10 * 1024 * 1024, types: ['image/jpeg', 'image/png', 'image/gif'] }),
    validate: async (content) => validateContent(content),

    async verify(credentials, signal) {
      const page = open(credentials);
      // The Page token cannot list its own tasks (only a user token's `/me/accounts` shows
      // CREATE_CONTENT); a token that reads the Page but may not post fails its first publish
      // with a permission error, which is `auth` and asks for a reconnect.
      const found = await page.graph.get<{ id: string; name: string }>(
        `/${page.pageId}`,
        { fields: 'id,name' },
        signal,
      );
      return { handle: found.name, remoteId: found.id, credentials: { ...credentials, pageId: found.id } };
    },

    // async, so that malformed credentials reject the promise rather than throw synchronously
    publish: async (input: PublishInput) => publishPost(open(input.credentials), input),
    reconcile: async (input: PublishInput) => findPost(open(input.credentials), input),
    // `DELETE /{post-id}` with the Page token (`pages_manage_posts`): a feed post, a photo post or a video.
    async remove(input) {
      const page = open(input.credentials);
      for (const post of [...input.posts].reverse()) {
        await page.graph.delete(`/${post.remoteId}`, input.signal).catch((e: unknown) => {
          if (!isGoneError(e)) throw e;
        });
      }
    },
  };
}

/** Meta documents video uploads on `graph-video.facebook.com`; any other base (a test fake) is kept. */
export function videoApiUrl(apiUrl: string): string {
  return apiUrl.replace(/^https:\/\/graph\.facebook\.com(?=\/|$)/, 'https://graph-video.facebook.com');
}
