import { describe, expect, it, vi } from 'vitest';
import { buildFacets, detectCandidates, type Facet } from './facets.js';

const dids: Record<string, string> = { 'bob.test': 'did:plc:bob', 'alice.bsky.social': 'did:plc:alice' };
const resolve = async (handle: string) => dids[handle] ?? null;

const link = (byteStart: number, byteEnd: number, uri: string): Facet => ({
  index: { byteStart, byteEnd },
  features: [{ $type: 'app.bsky.richtext.facet#link', uri }],
});
const mention = (byteStart: number, byteEnd: number, did: string): Facet => ({
  index: { byteStart, byteEnd },
  features: [{ $type: 'app.bsky.richtext.facet#mention', did }],
});
const tag = (byteStart: number, byteEnd: number, value: string): Facet => ({
  index: { byteStart, byteEnd },
  features: [{ $type: 'app.bsky.richtext.facet#tag', tag: value }],
});

/** The bytes a facet covers, decoded: what a client underlines. */
function covered(text: string, f: Facet): string {
  return Buffer.from(text, 'utf8').subarray(f.index.byteStart, f.index.byteEnd).toString('utf8');
}

describe('buildFacets byte offsets', () => {
  it('ASCII: link, mention and tag in order', async () => {
    const text = 'see https://example.com/a and #tag cc @bob.test';
    expect(await buildFacets(text, resolve)).toEqual([
      link(4, 25, 'https://example.com/a'),
      tag(30, 34, 'tag'),
      mention(38, 47, 'did:plc:bob'),
    ]);
  });

  it('emoji with a skin tone before a mention (8 bytes, 4 UTF-16 units)', async () => {
    const text = '👋🏽 hi @bob.test';
    const facets = await buildFacets(text, resolve);
    expect(facets).toEqual([mention(12, 21, 'did:plc:bob')]);
    expect(covered(text, facets[0]!)).toBe('@bob.test');
  });

  it('ZWJ family emoji before a link', async () => {
    const text = '👨‍👩‍👧 https://example.com';
    // 3 × 4-byte emoji + 2 × 3-byte ZWJ = 18 bytes, then a space.
    expect(await buildFacets(text, resolve)).toEqual([link(19, 38, 'https://example.com')]);
  });

  it('CJK before a tag and a CJK tag value', async () => {
    const text = '日本語 #タグ';
    const facets = await buildFacets(text, resolve);
    expect(facets).toEqual([tag(10, 17, 'タグ')]);
    expect(covered(text, facets[0]!)).toBe('#タグ');
  });

  it('CJK text around a link ends it at the ideographic full stop', async () => {
    const text = '見て https://example.com/ページ。';
    const facets = await buildFacets(text, resolve);
    // 見て (6 bytes) + space; 20 ASCII bytes + ページ (9 bytes).
    expect(facets).toEqual([link(7, 36, 'https://example.com/ページ')]);
    expect(covered(text, facets[0]!)).toBe('https://example.com/ページ');
  });

  it('combining marks before a facet count their bytes', async () => {
    const text = 'cafe\u0301 #tag';
    expect(await buildFacets(text, resolve)).toEqual([tag(7, 11, 'tag')]);
  });
});

describe('links', () => {
  it('leaves a trailing period, comma or question mark out', async () => {
    expect(await buildFacets('Read https://example.com/x.', resolve)).toEqual([link(5, 26, 'https://example.com/x')]);
    expect(await buildFacets('https://a.example/b, and', resolve)).toEqual([link(0, 19, 'https://a.example/b')]);
    expect(await buildFacets('Seen http://a.example?', resolve)).toEqual([link(5, 21, 'http://a.example')]);
  });

  it('keeps balanced parentheses, drops an unbalanced closing one', async () => {
    const text = '(see https://en.wikipedia.org/wiki/Foo_(bar))';
    const uri = 'https://en.wikipedia.org/wiki/Foo_(bar)';
    expect(await buildFacets(text, resolve)).toEqual([link(5, 5 + uri.length, uri)]);
    expect(await buildFacets('(https://example.com)', resolve)).toEqual([link(1, 20, 'https://example.com')]);
  });

  it('keeps query and fragment; a # inside a URL is not a tag', async () => {
    const uri = 'https://example.com/a?b=1#frag';
    expect(await buildFacets(`${uri} ok`, resolve)).toEqual([link(0, uri.length, uri)]);
  });

  it('ignores bare domains, other schemes and URLs glued to a word', async () => {
    expect(await buildFacets('example.com ftp://example.com xhttps://example.com https://', resolve)).toEqual([]);
  });
});

describe('mentions', () => {
  it('resolves each handle once and drops unresolvable ones', async () => {
    const spy = vi.fn(resolve);
    const text = '@bob.test @nobody.test @BOB.test';
    expect(await buildFacets(text, spy)).toEqual([mention(0, 9, 'did:plc:bob'), mention(23, 32, 'did:plc:bob')]);
    expect(spy.mock.calls).toEqual([['bob.test'], ['nobody.test']]);
  });

  it('leaves the sentence full stop out of the handle', async () => {
    expect(await buildFacets('thanks @alice.bsky.social.', resolve)).toEqual([mention(7, 25, 'did:plc:alice')]);
  });

  it('is not found in emails, bare names or inside links', () => {
    expect(detectCandidates('me@bob.test @bob https://x.example/(@bob.test)')).toEqual([
      { kind: 'link', start: 17, end: 46, uri: 'https://x.example/(@bob.test)' },
    ]);
  });
});

describe('hashtags', () => {
  const tags = (text: string) => detectCandidates(text).flatMap((c) => (c.kind === 'tag' ? [c.tag] : []));

  it('needs more than digits', () => {
    expect(tags('#123 #2024-25 #1a #a1')).toEqual(['1a', 'a1']);
  });

  it('drops trailing punctuation and needs whitespace or the start before it', () => {
    expect(tags('#tag. (#paren a#b #end!')).toEqual(['tag', 'end']);
  });

  it('stores the tag without # and refuses a # inside the value', () => {
    expect(tags('#foo#bar ＃full')).toEqual(['full']);
  });

  it('allows 64 graphemes, not 65', () => {
    expect(tags(`#${'a'.repeat(64)}`)).toEqual(['a'.repeat(64)]);
    expect(tags(`#${'a'.repeat(65)}`)).toEqual([]);
    // 64 emoji are 128 UTF-16 units but 64 graphemes.
    expect(tags(`#${'😀'.repeat(64)}`)).toHaveLength(1);
  });

  it('ends at a zero-width space and ignores the keycap emoji', () => {
    expect(tags('#one\u200Btwo #️⃣ x')).toEqual(['one']);
  });
});
