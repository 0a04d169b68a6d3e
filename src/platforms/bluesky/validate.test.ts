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

describe('validateContent: what Bluesky can embed', () => {
  const video = (extra: Record<string, unknown> = {}) => ({ url: 'media:v.mp4', mimeType: 'video/mp4', ...extra });

  it('takes one MP4 video with alt text', () => {
    expect(validateContent({ text: 'x', media: [video({ alt: 'A cat' })] })).toEqual([]);
    // Known only by its URL.
    expect(validateContent({ text: 'x', media: [{ url: 'https://m.test/clip.mp4' }] })).toEqual([]);
  });

  it('refuses a type it cannot embed, naming media[i] and Bluesky', () => {
    expect(validateContent({ text: 'x', media: [media(1)[0]!, { url: 'https://m.test/clip.mov' }] })).toEqual([
      {
        field: 'media[1]',
        code: 'invalid_request',
        message:
          'Bluesky cannot take media[1] (video/quicktime): it takes JPEG, PNG, WebP or GIF images, or one MP4 video.',
      },
    ]);
  });

  it('refuses images with a video, and two videos', () => {
    expect(validateContent({ text: 'x', media: [...media(2), video()] })).toEqual([
      {
        field: 'media',
        code: 'invalid_request',
        message: 'A Bluesky post takes images or one video, not both (2 images and 1 video given).',
      },
    ]);
    expect(validateContent({ text: 'x', media: [video(), video()] })).toMatchObject([
      { field: 'media', message: 'Bluesky takes one video per post (2 given).' },
    ]);
  });

  it('refuses a video over 100 MB and video alt text over 1,000 graphemes', () => {
    expect(validateContent({ text: 'x', media: [video({ size: 100_000_000 })] })).toEqual([]);
    expect(validateContent({ text: 'x', media: [video({ size: 150_000_000 })] })).toEqual([
      {
        field: 'media[0]',
        code: 'invalid_request',
        message: 'media[0] is too big for a Bluesky video: 150 MB of 100 MB.',
      },
    ]);
    expect(validateContent({ text: 'x', media: [video({ alt: 'a'.repeat(1001) })] })).toMatchObject([
      {
        field: 'media[0].alt',
        code: 'content_too_long',
        message: 'Alt text of the video is too long for Bluesky (1001 of 1000 characters).',
      },
    ]);
  });

  it('refuses a video longer than 3 minutes', () => {
    expect(validateContent({ text: 'x', media: [video({ durationMs: 180_000 })] })).toEqual([]);
    expect(validateContent({ text: 'x', media: [video({ durationMs: 200_400 })] })).toEqual([
      {
        field: 'media[0]',
        code: 'invalid_request',
        message: 'media[0] is too long for a Bluesky video: 3:21 of 3:00.',
      },
    ]);
  });
});
