import type { ResolvedContent, TextRules, ValidationIssue } from '../../core/content.js';
import { countCodePoints, splitGraphemes, utf8Length } from '../../core/text-length.js';
import { checkMetaMedia, mp4OrMov, type VideoRules } from '../meta/media-checks.js';

/** Threads' documented limits (developers.facebook.com/docs/threads/posts). */
export const threadsLimits = {
  /** Characters in a post's text. */
  text: 500,
  /** Items in a carousel. */
  carousel: 20,
  /** Distinct links in a post's text (THREADS_API__LINK_LIMIT_EXCEEDED since December 2025). */
  links: 5,
} as const;

/**
 * A Threads video, alone or in a carousel (Threads media specifications): MOV or MP4, at most
 * 1 GB and 5 minutes, its aspect ratio between 0.01:1 and 10:1.
 */
export const threadsVideo: VideoRules = {
  types: mp4OrMov,
  typesLabel: 'MP4 or QuickTime (.mov)',
  maxBytes: 1024 ** 3,
  maxDurationMs: 300_000,
  aspect: { min: 0.01, max: 10, label: '1:100 and 10:1' },
};

/**
 * Counts text as Threads does: characters (code points), except that an emoji counts as its
 * number of UTF-8 bytes, as the Threads posts documentation says ("Emojis are counted as the
 * number of UTF-8 bytes"). Plain text is therefore counted in code points.
 */
export function countThreadsText(text: string): number {
  let n = 0;
  for (const grapheme of splitGraphemes(text)) {
    n += /\p{Extended_Pictographic}/u.test(grapheme) ? utf8Length(grapheme) : countCodePoints(grapheme);
  }
  return n;
}

export const threadsRules: TextRules = {
  maxLength: threadsLimits.text,
  unit: 'characters',
  count: countThreadsText,
  threads: true,
};

/** Checks one Threads post (or one part of a thread). */
export function validateThreadsContent(content: ResolvedContent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  if (text.trim() === '' && media.length === 0) {
    issues.push({ field: 'text', code: 'invalid_request', message: 'A Threads post needs text, an image or a video.' });
  }
  const length = countThreadsText(text);
  if (length > threadsLimits.text) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Threads by ${length - threadsLimits.text} characters (${length} of ${threadsLimits.text}).`,
    });
  }
  const links = new Set(text.match(/\bhttps?:\/\/[^\s<>"]+/gi) ?? []).size;
  if (links > threadsLimits.links) {
    issues.push({
      field: 'text',
      code: 'invalid_request',
      message: `Threads takes at most ${threadsLimits.links} links per post (${links} given).`,
    });
  }
  if (media.length > threadsLimits.carousel) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Threads takes at most ${threadsLimits.carousel} images or videos per post (${media.length} given).`,
    });
  }
  issues.push(...checkMetaMedia('Threads', media, () => threadsVideo));
  return issues;
}
