import type { ResolvedContent, TextRules, ValidationIssue } from '../../core/content.js';
import { countCodePoints } from '../../core/text-length.js';
import { checkMetaMedia, mp4OrMov, type VideoRules } from '../meta/media-checks.js';

/** Instagram's documented limits (IG User Media reference, content publishing guide). */
export const instagramLimits = {
  /** Characters in a caption. */
  caption: 2200,
  /** Hashtags in a caption. */
  hashtags: 30,
  /** Items in a carousel. */
  carousel: 10,
} as const;

/**
 * Instagram's video specifications (IG User Media reference): a video alone is published as a
 * reel, MOV or MP4 of 3 seconds to 15 minutes, at most 300 MB, between 0.01:1 and 10:1; a video
 * in a carousel is at most 60 seconds and 100 MB.
 */
export const instagramVideo = {
  reel: {
    types: mp4OrMov,
    typesLabel: 'MP4 or QuickTime (.mov)',
    maxBytes: 300 * 1024 * 1024,
    maxDurationMs: 15 * 60_000,
    minDurationMs: 3_000,
    aspect: { min: 0.01, max: 10, label: '1:100 and 10:1' },
  },
  carouselItem: {
    types: mp4OrMov,
    typesLabel: 'MP4 or QuickTime (.mov)',
    maxBytes: 100 * 1024 * 1024,
    maxDurationMs: 60_000,
    minDurationMs: 3_000,
  },
} as const satisfies Record<string, VideoRules>;

export const instagramRules: TextRules = {
  maxLength: instagramLimits.caption,
  unit: 'characters',
  count: countCodePoints,
  threads: false,
};

/** Checks one Instagram post: an image or a video is required; the caption is optional. */
export function validateInstagramContent(content: ResolvedContent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  if (media.length === 0) {
    issues.push({ field: 'media', code: 'invalid_request', message: 'An Instagram post needs an image or a video.' });
  }
  const length = instagramRules.count(text);
  if (length > instagramLimits.caption) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Instagram by ${length - instagramLimits.caption} characters (${length} of ${instagramLimits.caption}).`,
    });
  }
  const hashtags = text.match(/(^|\s)#[^\s#]+/gu)?.length ?? 0;
  if (hashtags > instagramLimits.hashtags) {
    issues.push({
      field: 'text',
      code: 'invalid_request',
      message: `Instagram takes at most ${instagramLimits.hashtags} hashtags per caption (${hashtags} given).`,
    });
  }
  if (media.length > instagramLimits.carousel) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Instagram takes at most ${instagramLimits.carousel} items per carousel (${media.length} given).`,
    });
  }
  const video = media.length > 1 ? instagramVideo.carouselItem : instagramVideo.reel;
  issues.push(...checkMetaMedia('Instagram', media, () => video));
  return issues;
}
