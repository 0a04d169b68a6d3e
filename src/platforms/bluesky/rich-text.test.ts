import { describe, expect, it, vi } from 'vitest';
import { buildFacets, type Facet, firstLink, graphemeLength } from './rich-text.js';

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

describe('buildFacets (RichText)', () => {
  it('finds link, tag and mention in text order with byte offsets', async () => {
    const text = 'see https://example.com/a and #tag cc @bob.test';
    expect(await buildFacets(text, resolve)).toEqual([
      link(4, 25, 'https://example.com/a'),
      tag(30, 34, 'tag'),
      mention(38, 47, 'did:plc:bob'),
    ]);
  });

  it('links a bare domain with a path, as https', async () => {
    const text = 'docs at www.example.org/x and example.com.';
    const facets = await buildFacets(text, resolve);
    expect(facets).toEqual([link(8, 25, 'https://www.example.org/x'), link(30, 41, 'https://example.com')]);
    expect(covered(text, facets[0]!)).toBe('www.example.org/x');
  });

  it('counts emoji, ZWJ sequences and CJK in bytes before a facet', async () => {
    const text = '👋🏽 日本語 @bob.test #タグ';
    const facets = await buildFacets(text, resolve);
    expect(facets.map((f) => covered(text, f))).toEqual(['@bob.test', '#タグ']);
    expect(facets[0]).toEqual(mention(19, 28, 'did:plc:bob'));
  });

  it('leaves a trailing full stop out of a link', async () => {
    expect(await buildFacets('Read https://example.com/x.', resolve)).toEqual([link(5, 26, 'https://example.com/x')]);
  });

  it('resolves each handle once (case-insensitively) and leaves an unknown one as plain text', async () => {
    const spy = vi.fn(resolve);
    const text = '@bob.test @nobody.test @BOB.test';
    expect(await buildFacets(text, spy)).toEqual([mention(0, 9, 'did:plc:bob'), mention(23, 32, 'did:plc:bob')]);
    expect(spy.mock.calls).toEqual([['bob.test'], ['nobody.test']]);
  });

  it('lets a failed resolution (not "no such handle") reach the caller', async () => {
    const failing = async () => {
      throw new Error('network down');
    };
    await expect(buildFacets('hi @bob.test', failing)).rejects.toThrow('network down');
  });

  it('finds no mention in an email address', async () => {
    const spy = vi.fn(resolve);
    expect(await buildFacets('mail me@bob.test', spy)).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('firstLink', () => {
  it('is the first link in the text, whatever comes before it', async () => {
    const facets = await buildFacets('#news @bob.test www.example.org/a then https://b.example/', resolve);
    expect(firstLink(facets)).toBe('https://www.example.org/a');
    expect(firstLink(await buildFacets('no links #here', resolve))).toBeUndefined();
  });
});

describe('graphemeLength', () => {
  it('counts what a reader sees, not code units or code points', () => {
    expect(graphemeLength('abc')).toBe(3);
    expect(graphemeLength('👋🏽')).toBe(1);
    expect(graphemeLength('👨‍👩‍👧')).toBe(1);
    expect(graphemeLength('cafe\u0301')).toBe(4);
    expect(graphemeLength('日本語')).toBe(3);
  });
});
