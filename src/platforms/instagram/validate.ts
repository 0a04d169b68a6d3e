import type { ResolvedContent, TextRules, ValidationIssue } from '../../core/content.js';
import { countCodePoints } from '../../core/text-length.js';

/** Instagram's documented limits (IG User Media reference, content publishing guide). */
export const instagramLimits = {
  /** Characters in a caption. */
  caption: 2200,
  /** Hashtags in a caption. */
  hashtags: 30,
  /** Items in a carousel. */
  carousel: 10,
} as const;

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
  return issues;
}
