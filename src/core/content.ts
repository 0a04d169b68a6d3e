import type { ContentOverride, MediaItem, PlatformId, PlatformOptions, Post, ThreadMode } from './post.js';

/** The content one delivery publishes: global content with the platform's override applied. */
export interface ResolvedContent {
  text: string;
  /**
   * Attachments. `url` is where the platform or `loadMedia` can fetch it (for Graph API platforms
   * a public, signed URL once #5 lands). `mimeType`, when known, says image or video; when absent,
   * a `.mp4`/`.mov` URL is a video and anything else an image.
   */
  media: ResolvedMedia[];
  /** Options only some platforms have (Mastodon's visibility, content warning, language). */
  options?: PlatformOptions | undefined;
  /**
   * Whether a post with a link and no media gets a link card (Bluesky's external embed, Threads'
   * link attachment, Facebook's link, Tumblr's link block). Default true; false when the request
   * said `linkPreview: false`.
   */
  linkPreview?: boolean | undefined;
}

/** One attachment as an adapter sees it. */
export interface ResolvedMedia {
  /**
   * Where the platform (Graph API platforms fetch by URL) can GET it: a signed URL of the media
   * store's version that fits this platform. Before the media layer has prepared it: the URL the
   * author gave.
   */
  url: string;
  /** The object in hayon's media store; `loadMedia` reads it from there. */
  key?: string | undefined;
  alt?: string | undefined;
  /** When known. When absent, a `.mp4`/`.mov` URL is a video and anything else an image. */
  mimeType?: string | undefined;
  /** A video's bytes, when known (for limits at the door). */
  size?: number | undefined;
  /** A video's frame size, when its MP4 header gave it (for aspect ratios). */
  width?: number | undefined;
  height?: number | undefined;
  /** A video's length in milliseconds, when its MP4 header gave it. */
  durationMs?: number | undefined;
}

/** A problem found before a post is accepted. */
export interface ValidationIssue {
  /** The request field it is about: `text`, `media`, `overrides.bluesky.text`. */
  field: string;
  code: 'content_too_long' | 'invalid_request';
  message: string;
}

/**
 * How a platform counts text, for validation and for splitting a long text into a thread.
 * Mastodon's come from the account's instance (cached); the others are constants.
 */
export interface TextRules {
  /** The most one post may hold, in `unit`s. */
  maxLength: number;
  unit: 'graphemes' | 'characters';
  /** Counts text the way the platform does (Mastodon: each URL counts as the instance's reserved length). */
  count(text: string): number;
  /** Whether posts can be chained as replies (Bluesky, Mastodon, Threads); if not, `thread: "auto"` does not apply. */
  threads: boolean;
}

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
    ...(post.content.linkPreview === false ? { linkPreview: false } : {}),
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
    ...(m.mimeType?.startsWith('video/') ? videoFacts(m) : {}),
    ...(m.alt ? { alt: m.alt } : {}),
  };
}

/** What is known of a video: its size, frame size and length, for limits and aspect ratios. */
function videoFacts(m: MediaItem): Partial<ResolvedMedia> {
  return {
    ...(m.size ? { size: m.size } : {}),
    ...(m.width && m.height ? { width: m.width, height: m.height } : {}),
    ...(m.durationMs ? { durationMs: m.durationMs } : {}),
  };
}
