import type { Platform, PlatformDeps } from '../platform.js';
import { type ContainerOptions, createContainerFlow, isVideo } from '../meta/containers.js';
import { createGraphClient, isGoneError } from '../meta/graph.js';
import { parseCredentials } from './credentials.js';
import { threadsRules, validateThreadsContent } from './validate.js';

/**
 * The Threads adapter (Graph API at graph.threads.net over `deps.fetch`): text, image, video and
 * carousel posts through media containers, a text post's first link as its card
 * (`link_attachment`, unless the request said `linkPreview: false`), replies (`reply_to_id`)
 * for threads, the publishing quota read before each publish (a full quota is rate_limited until
 * a slot frees, not a failure), and reconcile through the checkpointed container. See
 * `meta/containers.ts`.
 */
export function createThreadsPlatform(deps: PlatformDeps, options: Partial<ContainerOptions> = {}): Platform {
  const open = (raw: Record<string, unknown>) => {
    const creds = parseCredentials(raw);
    const graph = createGraphClient({
      fetch: deps.fetch,
      timeoutMs: deps.timeoutMs,
      platform: 'threads',
      baseUrl: creds.apiUrl,
    });
    const flow = createContainerFlow(
      deps,
      graph,
      {
        platform: 'threads',
        createPath: 'threads',
        publishPath: 'threads_publish',
        quotaPath: 'threads_publishing_limit',
        statusField: 'status',
        errorField: 'error_message',
        textField: 'text',
        textOnlyParams: { media_type: 'TEXT' },
        linkParam: 'link_attachment',
        itemParams: (item, inCarousel) => ({
          ...(isVideo(item)
            ? { media_type: 'VIDEO', video_url: item.url }
            : { media_type: 'IMAGE', image_url: item.url }),
          ...(item.alt ? { alt_text: item.alt } : {}),
          ...(inCarousel ? { is_carousel_item: 'true' } : {}),
        }),
        replies: { param: 'reply_to_id', listPath: 'replies' },
      },
      options,
    );
    return { creds, graph, flow, account: { userId: creds.userId, token: creds.accessToken } };
  };

  return {
    id: 'threads',
    rules: async () => threadsRules,
    // Threads takes JPEG and PNG up to 8 MB and scales images wider than 1440 px down itself.
    imageLimits: async () => ({ maxBytes: 8 * 1024 * 1024, maxDimension: 1440, types: ['image/jpeg', 'image/png'] }),
    validate: async (content) => validateThreadsContent(content),

    async verify(credentials, signal) {
      const { creds, graph } = open(credentials);
      const me = await graph.get<{ id: string; username: string }>(
        '/me',
        { fields: 'id,username' },
        creds.accessToken,
        signal,
      );
      return { handle: me.username, remoteId: me.id, credentials: { ...credentials, userId: me.id } };
    },

    publish: async (input) => {
      const { flow, account } = open(input.credentials);
      return flow.publish(input, account);
    },
    reconcile: async (input) => {
      const { flow, account } = open(input.credentials);
      return flow.reconcile(input, account);
    },
    // `DELETE /{threads-media-id}` (needs `threads_delete`; 100 deletes a day), the last reply first.
    async remove(input) {
      const { graph, creds } = open(input.credentials);
      for (const post of [...input.posts].reverse()) {
        await graph.delete(`/${post.remoteId}`, creds.accessToken, input.signal).catch((e: unknown) => {
          if (!isGoneError(e)) throw e;
        });
      }
    },

    // Long-lived tokens last 60 days and can be renewed once a day old: renewed in their last
    // week (or within `aheadMs`), `GET /refresh_access_token` at the API's origin (no version).
    async refreshAhead(credentials, aheadMs, signal) {
      const creds = parseCredentials(credentials);
      const window = Math.max(aheadMs, 7 * 24 * 3_600_000);
      if (creds.expiresAt === undefined || creds.expiresAt - Date.now() > window) return null;
      const graph = createGraphClient({
        fetch: deps.fetch,
        timeoutMs: deps.timeoutMs,
        platform: 'threads',
        baseUrl: new URL(creds.apiUrl).origin,
      });
      const renewed = await graph.get<{ access_token?: string; expires_in?: number }>(
        '/refresh_access_token',
        { grant_type: 'th_refresh_token' },
        creds.accessToken,
        signal,
      );
      if (!renewed.access_token) return null;
      return {
        ...credentials,
        accessToken: renewed.access_token,
        ...(typeof renewed.expires_in === 'number' ? { expiresAt: Date.now() + renewed.expires_in * 1000 } : {}),
      };
    },
  };
}
