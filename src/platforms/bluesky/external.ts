import type { AppBskyEmbedExternal } from '@atproto/api';
import { PlatformError } from '../../core/errors.js';
import type { LinkPreviewFetcher } from '../platform.js';
import { routes } from './errors.js';
import type { AccountSession } from './session.js';

/**
 * The thumbnail's limits: the lexicon's `thumb` takes at most 1,000,000 bytes; the Bluesky app
 * makes 2,000 px thumbnails at most.
 */
export const cardImageLimits = { maxBytes: 1_000_000, maxDimension: 2000 } as const;

/**
 * The `app.bsky.embed.external` card of `uri`: the page's title and description, and its image
 * uploaded as a blob. Undefined when the page cannot be read: the post goes out without a card,
 * never fails for it. An image the PDS refuses is left out in the same way; other upload errors
 * (auth, rate limits, the PDS down) fail the attempt like any other call.
 */
export async function linkCard(
  session: AccountSession,
  uri: string,
  fetchPreview: LinkPreviewFetcher,
  signal: AbortSignal,
): Promise<AppBskyEmbedExternal.Main | undefined> {
  const preview = await fetchPreview(uri, { image: cardImageLimits, signal });
  if (!preview) return undefined;
  let thumb: AppBskyEmbedExternal.External['thumb'];
  if (preview.image) {
    const { bytes, mimeType } = preview.image;
    try {
      const { data } = await session.call(routes.uploadBlob, (agent) =>
        agent.com.atproto.repo.uploadBlob(bytes, { encoding: mimeType }),
      );
      thumb = data.blob;
    } catch (e) {
      if (!(e instanceof PlatformError && e.kind === 'invalid')) throw e;
    }
  }
  return {
    $type: 'app.bsky.embed.external',
    external: { uri, title: preview.title, description: preview.description, ...(thumb ? { thumb } : {}) },
  };
}
