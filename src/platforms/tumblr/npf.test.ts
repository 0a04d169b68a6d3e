import { describe, expect, it } from 'vitest';
import { buildContent, carriesMarker, markerFor, paragraphsOf, slugFor, textBlock } from './npf.js';

describe('NPF content', () => {
  it('splits text into paragraphs on blank lines, keeping single line breaks', () => {
    expect(paragraphsOf('One\r\nline two\n\n  \n\nTwo\n \nThree  \n')).toEqual(['One\nline two', 'Two', 'Three']);
  });

  it('links URLs inline, with code point offsets and without trailing punctuation', () => {
    expect(textBlock('🌳 see https://example.com/a?b=1.')).toEqual({
      type: 'text',
      text: '🌳 see https://example.com/a?b=1.',
      formatting: [{ start: 6, end: 31, type: 'link', url: 'https://example.com/a?b=1' }],
    });
    expect(textBlock('no links')).toEqual({ type: 'text', text: 'no links' });
  });

  it('puts text blocks first, then images with alt text and a video, each naming its upload', () => {
    const blocks = buildContent('Hello\n\nWorld', [
      { identifier: 'media-0', mimeType: 'image/png', alt: 'A grey box' },
      { identifier: 'media-1', mimeType: 'image/jpeg' },
      { identifier: 'media-2', mimeType: 'video/mp4' },
    ]);
    expect(blocks).toEqual([
      { type: 'text', text: 'Hello' },
      { type: 'text', text: 'World' },
      { type: 'image', media: [{ type: 'image/png', identifier: 'media-0' }], alt_text: 'A grey box' },
      { type: 'image', media: [{ type: 'image/jpeg', identifier: 'media-1' }] },
      { type: 'video', media: { type: 'video/mp4', identifier: 'media-2' } },
    ]);
  });

  it('derives the same marker from the same key, another from another key', () => {
    expect(markerFor('dlv_1')).toMatch(/^hy[0-9a-f]{12}$/);
    expect(markerFor('dlv_1')).toBe(markerFor('dlv_1'));
    expect(markerFor('dlv_1')).not.toBe(markerFor('dlv_1.1'));
  });

  it('builds a readable slug from the first words, ending with the marker, at most 55 characters', () => {
    const m = markerFor('k');
    expect(slugFor('Hello, Wörld! https://x.io/y', 'k')).toBe(`hello-world-${m}`);
    expect(slugFor('', 'k')).toBe(m);
    const long = slugFor('The quick brown fox jumps over the lazy dog and keeps running', 'k');
    expect(long).toBe(`the-quick-brown-fox-jumps-over-the-lazy-${m}`);
    expect(long.length).toBeLessThanOrEqual(55);
  });

  it('finds the marker in a listed post by slug, or by URL when the slug is missing', () => {
    const m = markerFor('k');
    expect(carriesMarker({ slug: `hi-${m}` }, m)).toBe(true);
    expect(carriesMarker({ post_url: `https://b.tumblr.com/post/1/hi-${m}` }, m)).toBe(true);
    expect(carriesMarker({ slug: `hi-${markerFor('other')}` }, m)).toBe(false);
  });

  it('ends a post without media with a link block; fields cut to 140 characters as Tumblr cuts Open Graph', () => {
    const card = {
      url: 'https://e.org/p',
      title: 't'.repeat(150),
      description: 'd',
      image: { url: 'https://e.org/i.jpg' },
    };
    expect(buildContent('see https://e.org/p', [], card).at(-1)).toEqual({
      type: 'link',
      url: 'https://e.org/p',
      title: `${'t'.repeat(139)}…`,
      description: 'd',
      poster: [{ url: 'https://e.org/i.jpg' }],
    });
    const withMedia = buildContent('see', [{ identifier: 'media-0', mimeType: 'image/png' }], card);
    expect(withMedia.map((b) => b.type)).toEqual(['text', 'image']);
  });
});
