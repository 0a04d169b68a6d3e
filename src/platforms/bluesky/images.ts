import type { AppBskyEmbedImages } from '@atproto/api';
import type { MediaLoader } from '../platform.js';
import type { ResolvedContent } from '../../core/content.js';
import { routes } from './errors.js';
import { imageSize } from './image-size.js';
import type { AccountSession } from './session.js';

/**
 * Loads and uploads a post's images and returns the `app.bsky.embed.images` embed, or undefined
 * when there are none. Whether a blob is too big is left to the PDS (it answers "blob too big",
 * an invalid error): its limit differs between versions and is not hard-coded here.
 */
export async function uploadImages(
  session: AccountSession,
  media: ResolvedContent['media'],
  loadMedia: MediaLoader,
  signal: AbortSignal,
): Promise<AppBskyEmbedImages.Main | undefined> {
  if (media.length === 0) return undefined;
  const images: AppBskyEmbedImages.Image[] = [];
  // One at a time: at most one image's bytes in memory, and a session refresh that the first
  // upload may trigger is not raced by the others.
  for (const item of media) {
    const loaded = await loadMedia(item, signal);
    const { data } = await session.call(routes.uploadBlob, (agent) =>
      agent.com.atproto.repo.uploadBlob(loaded.bytes, { encoding: loaded.mimeType }),
    );
    const size = imageSize(loaded.bytes);
    images.push({
      image: data.blob,
      alt: item.alt ?? loaded.alt ?? '',
      ...(size ? { aspectRatio: size } : {}),
    });
  }
  return { $type: 'app.bsky.embed.images', images };
}
