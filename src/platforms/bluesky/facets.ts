/**
 * Rich-text facets for a Bluesky post: links, mentions and hashtags, with UTF-8 byte offsets
 * (`byteStart` inclusive, `byteEnd` exclusive) as `app.bsky.richtext.facet` requires. Pure: the
 * only I/O, resolving a mentioned handle to its DID, is a function the caller passes in.
 */
import { countGraphemes, utf8Length } from './validate.js';

export type FacetFeature =
  | { $type: 'app.bsky.richtext.facet#link'; uri: string }
  | { $type: 'app.bsky.richtext.facet#mention'; did: string }
  | { $type: 'app.bsky.richtext.facet#tag'; tag: string };

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: FacetFeature[];
}

/** A span found in the text, in UTF-16 indexes (`end` exclusive); mentions are not resolved yet. */
export type Candidate =
  | { kind: 'link'; start: number; end: number; uri: string }
  | { kind: 'mention'; start: number; end: number; handle: string }
  | { kind: 'tag'; start: number; end: number; tag: string };

/** Resolves a handle (`alice.bsky.social`) to a DID, or null when it does not exist. */
export type HandleResolver = (handle: string) => Promise<string | null>;

const maxTagGraphemes = 64;
const maxTagBytes = 640;

// What may stand right before a link or mention: the start, whitespace or an opening bracket/quote.
const before = String.raw`(?<=^|[\s([{<"'“‘«])`;
const linkRe = new RegExp(`${before}https?://[^\\s<>"]+`, 'giu');
const mentionRe = new RegExp(`${before}@([a-z0-9][a-z0-9.-]*)`, 'giu');
// Tags follow Bluesky's own rule: after the start or whitespace, up to whitespace or an invisible
// separator (soft hyphen, word joiner, zero-width spaces, keycap).
// biome-ignore lint/suspicious/noMisleadingCharacterClass: each separator, ZWJ included, ends a tag alone.
const tagRe = /(?<=^|\s)[#＃]([^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2]+)/gu;
const handleRe = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const trailingLinkPunct = /[.,;:!?'"”’…。、，！？]$/u;
const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Links, mentions and tags in `text`, ordered by position and never overlapping. */
export function detectCandidates(text: string): Candidate[] {
  const links = [...text.matchAll(linkRe)].flatMap((m) => linkAt(m.index, m[0]));
  const others = [
    ...[...text.matchAll(mentionRe)].flatMap((m) => mentionAt(m.index, m[1] ?? '')),
    ...[...text.matchAll(tagRe)].flatMap((m) => tagAt(m.index, m[1] ?? '')),
  ].filter((c) => !links.some((l) => c.start < l.end && l.start < c.end));
  return [...links, ...others].sort((a, b) => a.start - b.start);
}

/**
 * The facets of `text`, mentions resolved through `resolve` (each handle once); a mention whose
 * handle does not resolve stays plain text.
 *
 * @example await buildFacets('hi @bob.test', resolve)
 * // → [{ index: { byteStart: 3, byteEnd: 12 }, features: [{ $type: '…#mention', did: 'did:plc:…' }] }]
 */
export async function buildFacets(text: string, resolve: HandleResolver): Promise<Facet[]> {
  const candidates = detectCandidates(text);
  const dids = new Map<string, string | null>();
  for (const c of candidates) {
    // One at a time: resolution is the first authenticated call and may refresh the session.
    if (c.kind === 'mention' && !dids.has(c.handle)) dids.set(c.handle, await resolve(c.handle));
  }
  const facets: Facet[] = [];
  for (const c of candidates) {
    const feature = featureOf(c, dids);
    if (!feature) continue;
    facets.push({ index: byteRange(text, c.start, c.end), features: [feature] });
  }
  return facets;
}

/** The UTF-8 byte range of the UTF-16 range [start, end) of `text`. */
export function byteRange(text: string, start: number, end: number): Facet['index'] {
  const byteStart = utf8Length(text.slice(0, start));
  return { byteStart, byteEnd: byteStart + utf8Length(text.slice(start, end)) };
}

function featureOf(c: Candidate, dids: Map<string, string | null>): FacetFeature | null {
  switch (c.kind) {
    case 'link':
      return { $type: 'app.bsky.richtext.facet#link', uri: c.uri };
    case 'tag':
      return { $type: 'app.bsky.richtext.facet#tag', tag: c.tag };
    case 'mention': {
      const did = dids.get(c.handle);
      return did ? { $type: 'app.bsky.richtext.facet#mention', did } : null;
    }
  }
}

function linkAt(start: number, raw: string): Candidate[] {
  let uri = raw;
  for (;;) {
    const last = uri.at(-1) ?? '';
    const opener = closers[last];
    if (trailingLinkPunct.test(uri)) uri = uri.slice(0, -1);
    // A closing bracket belongs to the URL only when the URL opened one: `(see https://x.y/a_(b))`.
    else if (opener && count(uri, opener) < count(uri, last)) uri = uri.slice(0, -1);
    else break;
  }
  if (!URL.canParse(uri) || new URL(uri).hostname === '') return [];
  return [{ kind: 'link', start, end: start + uri.length, uri }];
}

function mentionAt(start: number, raw: string): Candidate[] {
  // A sentence may end right after a handle: `thanks @bob.test.`
  const handle = raw.replace(/[.-]+$/, '');
  if (handle.length > 253 || !handleRe.test(handle)) return [];
  return [{ kind: 'mention', start, end: start + 1 + handle.length, handle: handle.toLowerCase() }];
}

function tagAt(start: number, raw: string): Candidate[] {
  const tag = raw.replace(/\p{P}+$/u, '');
  if (tag === '' || tag.startsWith('\uFE0F') || /[#＃]/u.test(tag)) return [];
  // Not a tag when it is only digits (and punctuation): `#1`, `#2024-25`.
  if (!/[^\d\p{P}]/u.test(tag)) return [];
  if (countGraphemes(tag) > maxTagGraphemes || utf8Length(tag) > maxTagBytes) return [];
  return [{ kind: 'tag', start, end: start + 1 + tag.length, tag }];
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}
