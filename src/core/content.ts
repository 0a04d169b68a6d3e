import type { ResolvedContent, ResolvedMedia } from '../platforms/platform.js';
import type { ContentOverride, MediaItem, PlatformId, Post, ThreadMode } from './post.js';

/**
 * The content one platform gets: the global text and media, each replaced by the platform's
 * override when it has one. An override of `text: ''` is kept (media-only on that platform).
 */
export function resolveContent(post: Pick<Post, 'content' | 'overrides'>, platform: PlatformId): ResolvedContent {
  const override: ContentOverride = post.overrides[platform] ?? {};
  return {
    text: override.text ?? post.content.text,
    media: (override.media ?? post.content.media).map(resolveMedia),
    ...(override.options ? { options: override.options } : {}),
  };
}

/** Whether the post becomes a thread on this platform when its text is too long there. */
export function threadModeFor(post: Pick<Post, 'content' | 'overrides'>, platform: PlatformId): ThreadMode {
  return post.overrides[platform]?.thread ?? post.content.thread ?? 'off';
}

/**
 * An attachment as adapters see it. A stored one's `url` is a placeholder until the worker swaps
 * in a signed URL of the version that fits the platform (`media:{key}`, never fetched as is).
 */
function resolveMedia(m: MediaItem): ResolvedMedia {
  return {
    url: m.key ? `media:${m.key}` : (m.url ?? ''),
    ...(m.key ? { key: m.key } : {}),
    ...(m.mimeType ? { mimeType: m.mimeType } : {}),
    ...(m.alt ? { alt: m.alt } : {}),
  };
}
