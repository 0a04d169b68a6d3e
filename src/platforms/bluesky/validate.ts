import type { ResolvedContent, ResolvedMedia, TextRules, ValidationIssue } from '../../core/content.js';
import { graphemeLength, utf8Length } from './rich-text.js';

/**
 * Bluesky's limits for a post (lexicons `app.bsky.feed.post`, `app.bsky.embed.images`,
 * `app.bsky.embed.video`).
 */
export const blueskyLimits = {
  textGraphemes: 300,
  textBytes: 3000,
  images: 4,
  // The lexicon sets no limit on image alt text; 2,000 graphemes is what the Bluesky app allows.
  altGraphemes: 2000,
  videos: 1,
  /** `app.bsky.embed.video#alt`: maxGraphemes 1000. */
  videoAltGraphemes: 1000,
  /** `app.bsky.embed.video#video`: "May be up to 100mb". */
  videoBytes: 100_000_000,
  /** The Bluesky app takes videos of up to 3 minutes (60 s until 2025). */
  videoSeconds: 180,
} as const;

/** What Bluesky embeds: images (`app.bsky.embed.images`) and MP4 video (`app.bsky.embed.video`). */
export const blueskyImageTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export const blueskyVideoTypes = ['video/mp4'] as const;

/** User-perceived characters as Bluesky counts them (RichText's `graphemeLength`). */
export const countGraphemes = graphemeLength;

/** Text is counted in graphemes; replies chain into threads. */
export const blueskyRules: TextRules = {
  maxLength: blueskyLimits.textGraphemes,
  unit: 'graphemes',
  count: countGraphemes,
  threads: true,
};

/** The type of an attachment: its MIME type when known, else guessed from its URL's extension. */
export function mediaType(item: Pick<ResolvedMedia, 'url' | 'mimeType'>): string | undefined {
  if (item.mimeType) return item.mimeType;
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(item.url)?.[1]?.toLowerCase();
  const byExt: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    webp: 'image/webp',
    gif: 'image/gif',
    mp4: 'video/mp4',
    mov: 'video/quicktime',
  };
  // Unknown extensions count as images, as everywhere else in hayon; the upload checks the bytes.
  return ext ? (byExt[ext] ?? undefined) : undefined;
}

export function isVideo(item: Pick<ResolvedMedia, 'url' | 'mimeType'>): boolean {
  return mediaType(item)?.startsWith('video/') ?? false;
}

/** Checks a post against Bluesky's limits; an empty list means it can be published. */
export function validateContent(content: ResolvedContent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  if (text.trim() === '' && media.length === 0) {
    issues.push({ field: 'text', code: 'invalid_request', message: 'A Bluesky post needs text, an image or a video.' });
  }
  const graphemes = countGraphemes(text);
  const max = blueskyLimits.textGraphemes;
  if (graphemes > max) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Bluesky by ${graphemes - max} characters (${graphemes} of ${max}).`,
    });
  } else if (utf8Length(text) > blueskyLimits.textBytes) {
    // Only reachable with long clusters (combining marks, ZWJ emoji): 300 graphemes but > 3,000 bytes.
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Bluesky: ${utf8Length(text)} bytes of ${blueskyLimits.textBytes}.`,
    });
  }
  issues.push(...mediaIssues(media));
  return issues;
}

/** Types Bluesky cannot embed, the mix of images and video, counts, sizes and alt text. */
function mediaIssues(media: readonly ResolvedMedia[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  media.forEach((item, i) => {
    const type = mediaType(item);
    if (
      type &&
      !(blueskyImageTypes as readonly string[]).includes(type) &&
      !(blueskyVideoTypes as readonly string[]).includes(type)
    ) {
      issues.push({
        field: `media[${i}]`,
        code: 'invalid_request',
        message: `Bluesky cannot take media[${i}] (${type}): it takes JPEG, PNG, WebP or GIF images, or one MP4 video.`,
      });
    }
  });
  if (issues.length > 0) return issues;
  const videos = media.filter(isVideo).length;
  const images = media.length - videos;
  if (videos > 0 && images > 0) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `A Bluesky post takes images or one video, not both (${images} image${images === 1 ? '' : 's'} and ${videos} video${videos === 1 ? '' : 's'} given).`,
    });
  } else if (videos > blueskyLimits.videos) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Bluesky takes one video per post (${videos} given).`,
    });
  } else if (images > blueskyLimits.images) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Bluesky takes at most ${blueskyLimits.images} images per post (${images} given).`,
    });
  }
  media.forEach((item, i) => {
    const video = isVideo(item);
    if (video && item.size !== undefined && item.size > blueskyLimits.videoBytes) {
      issues.push({
        field: `media[${i}]`,
        code: 'invalid_request',
        message: `media[${i}] is too big for a Bluesky video: ${Math.ceil(item.size / 1e6)} MB of ${blueskyLimits.videoBytes / 1e6} MB.`,
      });
    }
    if (video && item.durationMs !== undefined && item.durationMs > blueskyLimits.videoSeconds * 1000) {
      issues.push({
        field: `media[${i}]`,
        code: 'invalid_request',
        message: `media[${i}] is too long for a Bluesky video: ${minutes(item.durationMs / 1000)} of ${minutes(blueskyLimits.videoSeconds)}.`,
      });
    }
    const alt = item.alt ? countGraphemes(item.alt) : 0;
    const maxAlt = video ? blueskyLimits.videoAltGraphemes : blueskyLimits.altGraphemes;
    if (alt > maxAlt) {
      issues.push({
        field: `media[${i}].alt`,
        code: 'content_too_long',
        message: `Alt text of ${video ? 'the video' : `image ${i + 1}`} is too long for Bluesky (${alt} of ${maxAlt} characters).`,
      });
    }
  });
  return issues;
}

/** 201 → `3:21`. */
function minutes(seconds: number): string {
  const s = Math.ceil(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
