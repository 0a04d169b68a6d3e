/**
 * How text is measured, the one place for it: every length rule (the platforms' validators, the
 * thread splitter, webhook templates' excerpts) counts with these functions, in the unit its
 * platform documents: graphemes (what a reader sees as one character: an emoji with its
 * modifiers, a letter with its accents), code points, or UTF-8 bytes.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const encoder = new TextEncoder();

/** The text as graphemes: an emoji with its modifiers, or a letter with its accents, is one. */
export function splitGraphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The first `count` graphemes (or all, when there are fewer). Walking a whole text with
 * Intl.Segmenter takes time quadratic in its length (seconds for a 100,000-character excerpt in a
 * webhook payload), so the walk stops as soon as it has enough.
 */
export function firstGraphemes(text: string, count: number): string[] {
  const parts: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    if (parts.length === count) break;
    parts.push(segment);
  }
  return parts;
}

/** User-perceived characters: `'👋🏽'` is 1, `'cafe\u0301'` is 4. */
export function countGraphemes(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** The index just after each grapheme: the places a text may be cut without breaking one. */
export function graphemeEnds(text: string): number[] {
  return Array.from(segmenter.segment(text), (s) => s.index + s.segment.length);
}

/** Unicode code points: `'a😻'` is 2, a ZWJ family emoji several. */
export function countCodePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Bytes in UTF-8. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}
