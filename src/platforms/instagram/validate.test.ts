import { describe, expect, it } from 'vitest';
import { instagramRules, validateInstagramContent } from './validate.js';

const item = (i: number) => ({ url: `https://m.example/${i}.jpg` });

describe('validateInstagramContent', () => {
  it('needs an image or a video', () => {
    expect(validateInstagramContent({ text: 'words only', media: [] })).toEqual([
      { field: 'media', code: 'invalid_request', message: 'An Instagram post needs an image or a video.' },
    ]);
    expect(validateInstagramContent({ text: '', media: [item(1)] })).toEqual([]);
  });

  it('caption at most 2,200 characters and 30 hashtags', () => {
    expect(validateInstagramContent({ text: 'c'.repeat(2200), media: [item(1)] })).toEqual([]);
    expect(validateInstagramContent({ text: 'c'.repeat(2300), media: [item(1)] })).toEqual([
      { field: 'text', code: 'content_too_long', message: 'Too long for Instagram by 100 characters (2300 of 2200).' },
    ]);
    const tags = Array.from({ length: 31 }, (_, i) => `#t${i}`).join(' ');
    expect(validateInstagramContent({ text: tags, media: [item(1)] })[0]?.message).toBe(
      'Instagram takes at most 30 hashtags per caption (31 given).',
    );
  });

  it('carousel of at most 10', () => {
    expect(validateInstagramContent({ text: '', media: Array.from({ length: 10 }, (_, i) => item(i)) })).toEqual([]);
    expect(validateInstagramContent({ text: '', media: Array.from({ length: 11 }, (_, i) => item(i)) })).toEqual([
      { field: 'media', code: 'invalid_request', message: 'Instagram takes at most 10 items per carousel (11 given).' },
    ]);
  });

  it('rules: 2,200 characters, no threads', () => {
    expect(instagramRules).toMatchObject({ maxLength: 2200, unit: 'characters', threads: false });
  });
});
