import { describe, expect, it } from 'vitest';
import { countGraphemes, validateContent } from './validate.js';

const media = (n: number, alt?: string) =>
  Array.from({ length: n }, (_, i) => ({ url: `https://m.test/${i}.png`, alt }));

describe('countGraphemes', () => {
  it('counts what a reader sees, not code units or code points', () => {
    expect(countGraphemes('abc')).toBe(3);
    expect(countGraphemes('👋🏽')).toBe(1);
    expect(countGraphemes('👨‍👩‍👧')).toBe(1);
    expect(countGraphemes('cafe\u0301')).toBe(4);
    expect(countGraphemes('日本語')).toBe(3);
  });
});

describe('validateContent', () => {
  it('accepts 300 graphemes of emoji (1,200+ UTF-16 units)', () => {
    expect(validateContent({ text: '👋🏽'.repeat(300), media: [] })).toEqual([]);
  });

  it('rejects 341 graphemes saying by how many', () => {
    expect(validateContent({ text: 'a'.repeat(341), media: [] })).toEqual([
      {
        field: 'text',
        code: 'content_too_long',
        message: 'Too long for Bluesky by 41 characters (341 of 300).',
      },
    ]);
  });

  it('rejects text within 300 graphemes but over 3,000 bytes', () => {
    const heavy = `e${'\u0301'.repeat(5)}`.repeat(300); // 11 bytes per grapheme
    const issues = validateContent({ text: heavy, media: [] });
    expect(issues).toMatchObject([{ field: 'text', code: 'content_too_long' }]);
    expect(issues[0]!.message).toBe('Too long for Bluesky: 3300 bytes of 3000.');
  });

  it('needs text or media', () => {
    expect(validateContent({ text: '  ', media: [] })).toMatchObject([{ field: 'text', code: 'invalid_request' }]);
    expect(validateContent({ text: '', media: media(1) })).toEqual([]);
  });

  it('takes at most 4 images', () => {
    expect(validateContent({ text: 'x', media: media(4) })).toEqual([]);
    expect(validateContent({ text: 'x', media: media(5) })).toEqual([
      { field: 'media', code: 'invalid_request', message: 'Bluesky takes at most 4 images per post (5 given).' },
    ]);
  });

  it('limits alt text to 2,000 graphemes', () => {
    expect(validateContent({ text: 'x', media: media(1, 'a'.repeat(2000)) })).toEqual([]);
    expect(validateContent({ text: 'x', media: media(2, 'a'.repeat(2001)) })).toMatchObject([
      { field: 'media[0].alt', code: 'content_too_long' },
      { field: 'media[1].alt', code: 'content_too_long' },
    ]);
  });
});
