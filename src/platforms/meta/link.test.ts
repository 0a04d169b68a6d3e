import { describe, expect, it } from 'vitest';
import { firstLink, linkCardUrl } from './link.js';

describe('Meta link cards', () => {
  it('the first http(s) link of the text, without trailing punctuation', () => {
    expect(firstLink('Notes: https://example.com/releases/2.0. Also http://b.example')).toBe(
      'https://example.com/releases/2.0',
    );
    expect(firstLink('(see https://a.example/x)')).toBe('https://a.example/x');
    expect(firstLink('no link, just example.com')).toBeUndefined();
  });

  it('only for a post without media, and not when the request turned cards off', () => {
    const text = 'read https://a.example/post';
    expect(linkCardUrl({ text, media: [] })).toBe('https://a.example/post');
    expect(linkCardUrl({ text, media: [], linkPreview: true })).toBe('https://a.example/post');
    expect(linkCardUrl({ text, media: [], linkPreview: false })).toBeUndefined();
    expect(linkCardUrl({ text, media: [{ url: 'https://m.example/a.png' }] })).toBeUndefined();
  });
});
