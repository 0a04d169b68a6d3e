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

  it('a reel: MP4/MOV of 3 s to 15 min and at most 300 MB, refused at the door naming media[0]', () => {
    const reel = (more: object) => ({ text: 'reel', media: [{ url: 'media:v', mimeType: 'video/mp4', ...more }] });
    expect(validateInstagramContent(reel({ size: 200 * 1024 * 1024, durationMs: 14 * 60_000 }))).toEqual([]);
    expect(validateInstagramContent(reel({ durationMs: 2_000 }))[0]).toEqual({
      field: 'media[0]',
      code: 'invalid_request',
      message: 'media[0] is a 2 s video: Instagram takes videos of at least 3 s. Use a longer clip.',
    });
    expect(validateInstagramContent(reel({ durationMs: 16 * 60_000 }))[0]?.message).toBe(
      'media[0] is a 16 min video: Instagram takes videos up to 15 min here. Shorten it.',
    );
    expect(validateInstagramContent(reel({ size: 400 * 1024 * 1024 }))[0]?.message).toBe(
      'media[0] is a 400 MB video: Instagram takes videos up to 300 MB. Shorten or compress it.',
    );
    expect(validateInstagramContent(reel({ mimeType: 'video/x-matroska' }))[0]?.message).toBe(
      'media[0] is video/x-matroska: Instagram takes videos as MP4 or QuickTime (.mov). Convert it to MP4.',
    );
  });

  it('a video in a carousel: at most 60 s; a PDF is refused anywhere', () => {
    const media = [
      { url: 'media:a', mimeType: 'image/jpeg' },
      { url: 'media:v', mimeType: 'video/mp4', durationMs: 90_000 },
      { url: 'media:p', mimeType: 'application/pdf' },
    ];
    expect(validateInstagramContent({ text: '', media }).map((i) => [i.field, i.message])).toEqual([
      ['media[1]', 'media[1] is a 1 min 30 s video: Instagram takes videos up to 1 min here. Shorten it.'],
      [
        'media[2]',
        'media[2] is application/pdf: Instagram takes only images and videos. Remove it from the Instagram post or attach an image or video.',
      ],
    ]);
  });
});
