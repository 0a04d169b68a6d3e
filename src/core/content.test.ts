import { describe, expect, it } from 'vitest';
import { resolveContent } from './content.js';
import type { Post } from './post.js';

const cat = { url: 'https://example.com/cat.png', alt: 'A cat asleep on a keyboard' };
const dog = { url: 'https://example.com/dog.jpg', alt: 'A dog' };
const base = { text: 'Hello, world', media: [cat] };
const post = (overrides: Post['overrides']): Pick<Post, 'content' | 'overrides'> => ({ content: base, overrides });

describe('resolveContent', () => {
  it('gives the global text and media when the platform has no override', () => {
    expect(resolveContent(post({}), 'bluesky')).toEqual({ text: 'Hello, world', media: [cat] });
  });

  it('replaces only the text when the override has only text', () => {
    expect(resolveContent(post({ bluesky: { text: 'Hello, sky' } }), 'bluesky')).toEqual({
      text: 'Hello, sky',
      media: [cat],
    });
  });

  it('replaces only the media when the override has only media', () => {
    expect(resolveContent(post({ bluesky: { media: [dog] } }), 'bluesky')).toEqual({
      text: 'Hello, world',
      media: [dog],
    });
  });

  it('keeps an empty-string text override (media only on that platform)', () => {
    expect(resolveContent(post({ bluesky: { text: '' } }), 'bluesky')).toEqual({ text: '', media: [cat] });
  });

  it('keeps an empty media override (text only on that platform)', () => {
    expect(resolveContent(post({ bluesky: { media: [] } }), 'bluesky')).toEqual({ text: 'Hello, world', media: [] });
  });

  it("ignores another platform's override", () => {
    const p = post({ mastodon: { text: 'Hello, fediverse', media: [] } });
    expect(resolveContent(p, 'bluesky')).toEqual({ text: 'Hello, world', media: [cat] });
    expect(resolveContent(p, 'mastodon')).toEqual({ text: 'Hello, fediverse', media: [] });
  });

  it('leaves out an alt text that is empty or missing', () => {
    const p = { content: { text: 'x', media: [{ url: cat.url, alt: '' }, { url: dog.url }] }, overrides: {} };
    expect(resolveContent(p, 'bluesky').media).toEqual([{ url: cat.url }, { url: dog.url }]);
  });
});
