import type { ResolvedContent } from '../platforms/platform.js';
import type { ContentOverride, PlatformId, Post, ThreadMode } from './post.js';

/**
 * The content one platform gets: the global text and media, each replaced by the platform's
 * override when it has one. An override of `text: ''` is kept (media-only on that platform).
 */
export function resolveContent(post: Pick<Post, 'content' | 'overrides'>, platform: PlatformId): ResolvedContent {
  const override: ContentOverride = post.overrides[platform] ?? {};
  return {
    text: override.text ?? post.content.text,
    media: (override.media ?? post.content.media).map((m) => ({ url: m.url, ...(m.alt ? { alt: m.alt } : {}) })),
    ...(override.options ? { options: override.options } : {}),
  };
}

/** Whether the post becomes a thread on this platform when its text is too long there. */
export function threadModeFor(post: Pick<Post, 'content' | 'overrides'>, platform: PlatformId): ThreadMode {
  return post.overrides[platform]?.thread ?? post.content.thread ?? 'off';
}
