import type { ResolvedContent, TextRules, ValidationIssue } from '../../core/content.js';

/** Bluesky's limits for a post (lexicon `app.bsky.feed.post`, `app.bsky.embed.images`). */
export const blueskyLimits = {
  textGraphemes: 300,
  textBytes: 3000,
  images: 4,
  // The lexicon sets no limit on alt text; 2,000 graphemes is what the Bluesky app allows.
  altGraphemes: 2000,
} as const;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const encoder = new TextEncoder();

/** User-perceived characters, the unit of Bluesky's text limits. */
export function countGraphemes(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Text is counted in graphemes; replies chain into threads. */
export const blueskyRules: TextRules = {
  maxLength: blueskyLimits.textGraphemes,
  unit: 'graphemes',
  count: countGraphemes,
  threads: true,
};

/** Checks a post against Bluesky's limits; an empty list means it can be published. */
export function validateContent(content: ResolvedContent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  if (text.trim() === '' && media.length === 0) {
    issues.push({ field: 'text', code: 'invalid_request', message: 'A Bluesky post needs text or an image.' });
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
  if (media.length > blueskyLimits.images) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Bluesky takes at most ${blueskyLimits.images} images per post (${media.length} given).`,
    });
  }
  media.forEach((item, i) => {
    const alt = item.alt ? countGraphemes(item.alt) : 0;
    if (alt > blueskyLimits.altGraphemes) {
      issues.push({
        field: `media[${i}].alt`,
        code: 'content_too_long',
        message: `Alt text of image ${i + 1} is too long for Bluesky (${alt} of ${blueskyLimits.altGraphemes} characters).`,
      });
    }
  });
  return issues;
}
