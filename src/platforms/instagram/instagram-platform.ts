import type { Platform, PlatformDeps } from '../platform.js';
import { type ContainerOptions, createContainerFlow, isVideo } from '../meta/containers.js';
import { createGraphClient } from '../meta/graph.js';
import { parseCredentials } from './credentials.js';
import { instagramRules, validateInstagramContent } from './validate.js';

/**
 * The Instagram adapter (Graph API over `deps.fetch`): an image (with alt text), a video (as a
 * reel: single feed videos are published as reels since July 2023 and `VIDEO` is only for
 * carousel items) or a carousel of up to 10 through media containers; the publishing limit read
 * from the account (`content_publishing_limit`) rather than assumed; reconcile through the
 * checkpointed container. Media must be at a public URL (the media layer serves signed ones).
 * See `meta/containers.ts`.
 */
export function createInstagramPlatform(deps: PlatformDeps, options: Partial<ContainerOptions> = {}): Platform {
  const open = (raw: Record<string, unknown>) => {
    const creds = parseCredentials(raw);
    const graph = createGraphClient({
      fetch: deps.fetch,
      timeoutMs: deps.timeoutMs,
      platform: 'instagram',
      baseUrl: creds.apiUrl,
    });
    const flow = createContainerFlow(
      deps,
      graph,
      {
        platform: 'instagram',
        createPath: 'media',
        publishPath: 'media_publish',
        quotaPath: 'content_publishing_limit',
        statusField: 'status_code',
        errorField: 'status',
        textField: 'caption',
        itemParams: (item, inCarousel) => ({
          ...(isVideo(item)
            ? { media_type: inCarousel ? 'VIDEO' : 'REELS', video_url: item.url }
            : { image_url: item.url, ...(item.alt ? { alt_text: item.alt } : {}) }),
          ...(inCarousel ? { is_carousel_item: 'true' } : {}),
        }),
      },
      options,
    );
    return { creds, graph, flow, account: { userId: creds.igUserId, token: creds.accessToken } };
  };

  return {
    id: 'instagram',
    rules: async () => instagramRules,
    // Content publishing takes JPEG only, at most 8 MB; wider than 1440 px is scaled down by Instagram anyway.
    imageLimits: async () => ({ maxBytes: 8 * 1024 * 1024, maxDimension: 1440, types: ['image/jpeg'] }),
    validate: async (content) => validateInstagramContent(content),

    async verify(credentials, signal) {
      const { creds, graph } = open(credentials);
      const me = await graph.get<{ id: string; username: string }>(
        `/${creds.igUserId}`,
        { fields: 'id,username' },
        creds.accessToken,
        signal,
      );
      return { handle: me.username, remoteId: me.id, credentials };
    },

    publish: async (input) => {
      const { flow, account } = open(input.credentials);
      return flow.publish(input, account);
    },
    reconcile: async (input) => {
      const { flow, account } = open(input.credentials);
      return flow.reconcile(input, account);
    },
  };
}
