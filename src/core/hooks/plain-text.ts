/**
 * Plain text out of what webhooks carry (HTML from WordPress, Markdown from GitHub, Ghost's
 * excerpts), and a cut at a word that counts what a reader sees (graphemes), not UTF-16 units.
 */

import { firstGraphemes } from '../text-length.js';

const space = /^\s+$/u;

/**
 * At most `max` graphemes. A longer text is cut at the last space before the limit and ends
 * with `…` (counted within `max`); a single word longer than half the room (a long URL) is cut
 * inside instead, so that the cut never throws away most of what fits.
 *
 * @example truncateAtWord('The quick brown fox', 12) // 'The quick…'
 */
export function truncateAtWord(text: string, max: number): string {
  const parts = firstGraphemes(text, max + 1);
  if (parts.length <= max) return text;
  if (max <= 1) return '…';
  const room = max - 1;
  let cut = room;
  if (!space.test(parts[room] ?? ' ')) {
    let i = room - 1;
    while (i > 0 && !space.test(parts[i] ?? '')) i--;
    if (i > 0 && i >= room / 2) cut = i;
  }
  const head = parts.slice(0, cut).join('');
  // "Hello, world" cut after the comma reads better as "Hello…" than "Hello,…".
  const tidy = head.replace(/[\s,;:.\-–—…]+$/u, '');
  return `${tidy || head}…`;
}

/** Runs of whitespace (newlines included) become one space; the ends are trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

const namedEntities: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  times: '×',
  divide: '÷',
  minus: '−',
  prime: '′',
  Prime: '″',
  iexcl: '¡',
  iquest: '¿',
  shy: '',
  zwj: '\u200d',
  zwnj: '\u200c',
};

/**
 * Decodes character references once (`&amp;#038;` becomes `&#038;`, not `&`): decimal and hex
 * ones, and the named ones WordPress and editors produce (`&hellip;`, `&rsquo;`, `&nbsp;` as a
 * plain space…). Unknown names stay as written.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]{2,8}));/g, (whole, dec, hex, name) => {
    if (name !== undefined) return Object.hasOwn(namedEntities, name) ? (namedEntities[name] as string) : whole;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(code);
  });
}

const blockTags =
  /<\/?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|tr|td|th|table|figure|figcaption|section|article|header|footer|pre|hr|dd|dt)\b[^>]*>/gi;

/**
 * HTML as one line of plain text: comments, scripts and styles dropped, block tags become
 * spaces, other tags vanish, entities decoded, whitespace collapsed. The result is never
 * rendered as HTML again, so a decoded `<` is just a character.
 */
export function htmlToText(html: string): string {
  const stripped = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(blockTags, ' ')
    .replace(/<[^>]*>/g, '');
  return collapseWhitespace(decodeEntities(stripped));
}

/**
 * An excerpt from HTML: plain text, at most `max` graphemes cut at a word. WordPress's own
 * "read more" mark at the end of an automatic excerpt (` [&hellip;]`) becomes a plain `…`.
 */
export function htmlExcerpt(html: string, max: number): string {
  const text = htmlToText(html).replace(/\s*\[(?:…|\.\.\.)\]$/u, '…');
  return truncateAtWord(text, max);
}

/** An excerpt from plain text that may hold newlines (Ghost's `excerpt`). */
export function textExcerpt(text: string, max: number): string {
  return truncateAtWord(collapseWhitespace(text), max);
}

/**
 * The first paragraph of Markdown (release notes) as plain text, at most `max` graphemes.
 * Headings are skipped (a body that is only a heading gives the heading), as are code blocks
 * and rules; list bullets, quote marks, emphasis, code marks and HTML go; a link keeps its text.
 *
 * @example markdownExcerpt('## Highlights\n\n**Faster** builds, see [docs](https://x.dev).', 200)
 * // 'Faster builds, see docs.'
 */
export function markdownExcerpt(markdown: string, max: number): string {
  return truncateAtWord(collapseWhitespace(decodeEntities(inlineMarkdownToText(firstParagraph(markdown)))), max);
}

function firstParagraph(markdown: string): string {
  const lines: string[] = [];
  let heading: string | undefined;
  let inFence = false;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) {
      if (lines.length > 0) break;
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const h = /^#{1,6}(?:\s+(.*?))?\s*#*$/.exec(line);
    const rule = /^([-*_])(\s*\1){2,}$/.test(line) || /^=+$/.test(line);
    if (line === '' || h || rule) {
      if (lines.length > 0) break;
      if (h?.[1]) heading ??= h[1];
      continue;
    }
    lines.push(
      line
        .replace(/^(?:>\s?)+/, '')
        .replace(/^(?:[-*+]|\d{1,9}[.)])\s+/, '')
        .replace(/^\[[ xX]\]\s+/, ''),
    );
  }
  return lines.length > 0 ? lines.join(' ') : (heading ?? '');
}

/** Escaped punctuation (`\*`) is parked in the private use area while markup is removed. */
const parked = 0xe000;

function inlineMarkdownToText(text: string): string {
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|<])/g, (_, c: string) => String.fromCharCode(parked + c.charCodeAt(0)))
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/(`+)(.+?)\1/g, '$2')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - parked));
}
