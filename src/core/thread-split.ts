/**
 * Splitting a text that is too long for one post into a thread (a chain of replies), counted in
 * the platform's own unit. Breaks at a paragraph, else at the end of a sentence, else between
 * words, and never inside a URL, a mention or a hashtag; a word longer than a whole post is cut
 * between graphemes as a last resort. The optional counter (" (1/3)") is counted too.
 */

import { graphemeEnds } from './text-length.js';

export interface SplitRules {
  /** The most one post may hold, in the platform's unit. */
  maxLength: number;
  /** Counts text the way the platform does. */
  count(text: string): number;
}

export interface SplitOptions {
  /** Append " (i/n)" to every part. */
  counter: boolean;
  /** The most parts a thread may have. */
  maxParts: number;
}

export const defaultSplitOptions = { counter: true, maxParts: 25 } as const satisfies SplitOptions;

export type SplitResult =
  | { ok: true; parts: string[] }
  | { ok: false; reason: 'unbreakable'; token: string }
  | { ok: false; reason: 'too_many_parts'; parts: number };

/** URLs, mentions (`@a`, `@a@b.c`, `@a.bsky.social`) and hashtags: the tokens never cut. */
const protectedToken = /https?:\/\/\S+|(?<![\w@])@[\w.-]+(?:@[\w.-]+)?|(?<![\w&])#[\p{L}\p{N}_]+/gu;
const paragraphBreak = /\n\s*\n/g;
/** Latin punctuation needs a space after it (not "example.com"); CJK full stops need none. */
const sentenceEnd = /[.!?…]["')\]»”’]*\s+|[。！？]["」』）)]*/gu;
const space = /\s+/g;

/**
 * The parts of `text` for a platform with these rules: `[text]` when it fits as it is. The parts
 * are trimmed; joined with spaces they hold every word of the text in order.
 */
export function splitText(text: string, rules: SplitRules, options: Partial<SplitOptions> = {}): SplitResult {
  const { counter, maxParts } = { ...defaultSplitOptions, ...options };
  const whole = text.trim();
  if (rules.count(whole) <= rules.maxLength) return { ok: true, parts: [whole] };
  if (!counter) return pack(whole, () => rules.maxLength, rules, maxParts);
  // The counter's width depends on the number of parts, which depends on the room left: guess
  // the number of digits, split, and split again when the guess was short.
  for (let digits = 1; digits <= 4; digits++) {
    const widest = 10 ** digits - 1;
    const room = rules.maxLength - rules.count(` (${widest}/${widest})`);
    if (room < 1) break;
    const result = pack(whole, () => room, rules, Math.min(maxParts, widest));
    if (!result.ok) {
      if (result.reason === 'too_many_parts' && result.parts > widest && widest < maxParts) continue;
      return result;
    }
    const n = result.parts.length;
    return { ok: true, parts: result.parts.map((p, i) => `${p} (${i + 1}/${n})`) };
  }
  return { ok: false, reason: 'too_many_parts', parts: Math.ceil(rules.count(whole) / rules.maxLength) };
}

function pack(text: string, room: () => number, rules: SplitRules, maxParts: number): SplitResult {
  const parts: string[] = [];
  let rest = text;
  while (rules.count(rest) > room()) {
    const cut = cutPoint(rest, room(), rules);
    if (typeof cut === 'string') return { ok: false, reason: 'unbreakable', token: cut };
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    if (parts.length >= maxParts) {
      return { ok: false, reason: 'too_many_parts', parts: parts.length + estimate(rest, room(), rules) };
    }
  }
  if (rest.length > 0) parts.push(rest);
  return { ok: true, parts };
}

function estimate(rest: string, room: number, rules: SplitRules): number {
  return Math.max(1, Math.ceil(rules.count(rest) / room));
}

/**
 * Where to end the next part of `text`: an index into it, or the token that cannot be cut and
 * does not fit in a post by itself.
 */
function cutPoint(text: string, room: number, rules: SplitRules): number | string {
  const fit = longestFit(text, room, rules);
  const tokens = protectedSpans(text);
  // A break counts only if the part before it is worth a post: past a third of what fits.
  const floor = Math.floor(fit / 3);
  for (const pattern of [paragraphBreak, sentenceEnd, space]) {
    const at = lastBreak(text, pattern, floor, fit);
    if (at !== undefined) return at;
  }
  // One long word (or a token) fills the post: cut it between graphemes, unless it is a token.
  const inside = tokens.find(([start, end]) => start < fit && fit < end);
  if (inside) {
    if (inside[0] > 0) return inside[0];
    return text.slice(inside[0], inside[1]);
  }
  return fit;
}

/** The largest grapheme boundary `i` such that `text.slice(0, i)` (trimmed) fits in `room`. */
function longestFit(text: string, room: number, rules: SplitRules): number {
  const bounds = graphemeEnds(text);
  const fits = (i: number) => rules.count(text.slice(0, bounds[i]).trimEnd()) <= room;
  let lo = -1;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  // Counting is not always monotonic (a URL cut short counts as a whole one): step back until it fits.
  while (lo >= 0 && !fits(lo)) lo--;
  return lo < 0 ? (bounds[0] ?? text.length) : (bounds[lo] ?? text.length);
}

/** The end of the last match of `pattern` whose start lies in (floor, fit]. */
function lastBreak(text: string, pattern: RegExp, floor: number, fit: number): number | undefined {
  let found: number | undefined;
  for (const m of text.matchAll(pattern)) {
    const start = m.index;
    if (start > fit) break;
    // A sentence end keeps its punctuation in the part before: cut after the punctuation.
    const cut = pattern === sentenceEnd ? start + m[0].trimEnd().length : start;
    if (cut > floor && cut <= fit) found = cut;
  }
  return found;
}

function protectedSpans(text: string): [number, number][] {
  return [...text.matchAll(protectedToken)].map((m) => [m.index, m.index + m[0].length]);
}
