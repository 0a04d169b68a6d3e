import { describe, expect, it } from 'vitest';
import { countThreadsText, threadsRules, validateThreadsContent } from './validate.js';

const img = (i: number) => ({ url: `https://m.example/${i}.png` });

describe('validateThreadsContent', () => {
  it('accepts text up to 500 characters, counted in code points', () => {
    expect(validateThreadsContent({ text: 'é'.repeat(500), media: [] })).toEqual([]);
    expect(countThreadsText('𝔥𝔞𝔶𝔬𝔫')).toBe(5);
  });

  it('says by how much a text is too long', () => {
    expect(validateThreadsContent({ text: 'x'.repeat(541), media: [] })).toEqual([
      { field: 'text', code: 'content_too_long', message: 'Too long for Threads by 41 characters (541 of 500).' },
    ]);
  });

  it('counts an emoji as its UTF-8 bytes, as Threads documents', () => {
    expect(countThreadsText('hi 👋')).toBe(7);
    expect(validateThreadsContent({ text: `${'x'.repeat(497)}👋`, media: [] })[0]?.message).toBe(
      'Too long for Threads by 1 characters (501 of 500).',
    );
  });

  it('refuses an empty post, more than 20 items, more than 5 links', () => {
    expect(validateThreadsContent({ text: '  ', media: [] })).toEqual([
      { field: 'text', code: 'invalid_request', message: 'A Threads post needs text, an image or a video.' },
    ]);
    expect(validateThreadsContent({ text: '', media: Array.from({ length: 20 }, (_, i) => img(i)) })).toEqual([]);
    expect(validateThreadsContent({ text: '', media: Array.from({ length: 21 }, (_, i) => img(i)) })).toEqual([
      {
        field: 'media',
        code: 'invalid_request',
        message: 'Threads takes at most 20 images or videos per post (21 given).',
      },
    ]);
    const links = Array.from({ length: 6 }, (_, i) => `https://e.example/${i}`).join(' ');
    expect(validateThreadsContent({ text: links, media: [] })[0]?.message).toBe(
      'Threads takes at most 5 links per post (6 given).',
    );
    expect(validateThreadsContent({ text: `${links.slice(0, -20)} https://e.example/0`, media: [] })).toEqual([]);
  });

  it('rules: 500 characters, threads', () => {
    expect(threadsRules).toMatchObject({ maxLength: 500, unit: 'characters', threads: true });
  });

  it('refuses at the door a video Threads cannot take, naming media[i]: not MP4/MOV, over 1 GB or 5 minutes', () => {
    const media = [
      { url: 'media:a', mimeType: 'video/mp4', size: 50_000_000, durationMs: 299_000 },
      { url: 'media:b', mimeType: 'video/webm' },
      { url: 'media:c', mimeType: 'video/quicktime', size: 2 * 1024 ** 3 },
      { url: 'media:d', mimeType: 'video/mp4', durationMs: 362_000 },
      { url: 'media:e', mimeType: 'audio/mpeg' },
      { url: 'media:f', mimeType: 'image/gif' },
    ];
    expect(validateThreadsContent({ text: 'clips', media })).toEqual([
      {
        field: 'media[1]',
        code: 'invalid_request',
        message: 'media[1] is video/webm: Threads takes videos as MP4 or QuickTime (.mov). Convert it to MP4.',
      },
      {
        field: 'media[2]',
        code: 'invalid_request',
        message: 'media[2] is a 2 GB video: Threads takes videos up to 1 GB. Shorten or compress it.',
      },
      {
        field: 'media[3]',
        code: 'invalid_request',
        message: 'media[3] is a 6 min 2 s video: Threads takes videos up to 5 min here. Shorten it.',
      },
      {
        field: 'media[4]',
        code: 'invalid_request',
        message:
          'media[4] is audio/mpeg: Threads takes only images and videos. Remove it from the Threads post or attach an image or video.',
      },
    ]);
  });

  it('a Threads video between 1:100 and 10:1 when its frame size is known', () => {
    const shaped = (width: number, height: number) =>
      validateThreadsContent({ text: 'x', media: [{ url: 'media:v', mimeType: 'video/mp4', width, height }] });
    expect(shaped(1920, 192)).toEqual([]);
    expect(shaped(1920, 100)[0]?.message).toBe(
      'media[0] is a 1920×100 video: Threads takes videos with a shape between 1:100 and 10:1. Crop it.',
    );
  });
});
