import { describe, expect, it } from 'vitest';
import { facebookRules, isVideo, validateContent } from './validate.js';

const messages = (text: string, media: { url: string; alt?: string; mimeType?: string }[] = []) =>
  validateContent({ text, media }).map((i) => [i.field, i.code, i.message]);

describe('Facebook validation', () => {
  it('accepts text, several photos, or one video', () => {
    expect(messages('Open today until 6 pm.')).toEqual([]);
    expect(messages('', [{ url: 'https://m.example/a.jpg' }, { url: 'https://m.example/b.png' }])).toEqual([]);
    expect(messages('Our new oven', [{ url: 'https://m.example/tour.mp4' }])).toEqual([]);
  });

  it('refuses an empty post', () => {
    expect(messages('  \n')).toEqual([['text', 'invalid_request', 'A Facebook post needs text, photos or a video.']]);
  });

  it('counts text in characters up to 63,206 (an emoji is one)', () => {
    expect(messages('a'.repeat(63_206))).toEqual([]);
    expect(messages(`${'a'.repeat(63_205)}🥐`)).toEqual([]);
    expect(messages('a'.repeat(63_247))).toEqual([
      ['text', 'content_too_long', 'Too long for Facebook by 41 characters (63247 of 63206).'],
    ]);
    expect(facebookRules).toMatchObject({ maxLength: 63_206, unit: 'characters', threads: false });
    expect(facebookRules.count('né🥐')).toBe(3);
  });

  it('refuses photos with a video, and two videos', () => {
    expect(
      messages('x', [
        { url: 'https://m.example/a.jpg' },
        { url: 'https://m.example/b.jpg' },
        { url: 'https://m.example/c.mov' },
      ]),
    ).toEqual([
      ['media', 'invalid_request', 'A Facebook post takes photos or one video, not both (2 photos and 1 video given).'],
    ]);
    expect(messages('x', [{ url: 'https://m.example/a.mp4' }, { url: 'https://m.example/b.mp4' }])).toEqual([
      ['media', 'invalid_request', 'A Facebook post takes one video (2 given).'],
    ]);
  });

  it('tells a video by its MIME type first, else by a .mp4/.mov URL', () => {
    expect(isVideo({ url: 'https://m.example/signed?id=1', mimeType: 'video/mp4' })).toBe(true);
    expect(isVideo({ url: 'https://m.example/clip.mp4', mimeType: 'image/gif' })).toBe(false);
    expect(isVideo({ url: 'https://m.example/clip.MOV?sig=abc' })).toBe(true);
    expect(isVideo({ url: 'https://m.example/photo.jpg' })).toBe(false);
  });

  it('a Page video: any video type, at most 1 GB and 20 minutes; audio is refused naming media[0]', () => {
    const one = (more: object) => validateContent({ text: 'tour', media: [{ url: 'media:v', ...more }] });
    expect(one({ mimeType: 'video/webm', size: 500 * 1024 * 1024, durationMs: 19 * 60_000 })).toEqual([]);
    expect(one({ mimeType: 'video/mp4', size: 1.5 * 1024 ** 3 })).toEqual([
      {
        field: 'media[0]',
        code: 'invalid_request',
        message: 'media[0] is a 1.5 GB video: Facebook takes videos up to 1 GB. Shorten or compress it.',
      },
    ]);
    expect(one({ mimeType: 'video/mp4', durationMs: 21 * 60_000 })[0]?.message).toBe(
      'media[0] is a 21 min video: Facebook takes videos up to 20 min here. Shorten it.',
    );
    expect(one({ mimeType: 'audio/mpeg' })[0]).toMatchObject({
      field: 'media[0]',
      message:
        'media[0] is audio/mpeg: Facebook takes only images and videos. Remove it from the Facebook post or attach an image or video.',
    });
  });

  it('a Page video between 9:16 and 16:9 when its frame size is known', () => {
    const shaped = (width: number, height: number) =>
      validateContent({ text: 'tour', media: [{ url: 'media:v', mimeType: 'video/mp4', width, height }] });
    expect(shaped(1080, 1920)).toEqual([]);
    expect(shaped(1920, 1080)).toEqual([]);
    expect(shaped(1080, 2400)).toEqual([
      {
        field: 'media[0]',
        code: 'invalid_request',
        message:
          'media[0] is a 1080×2400 video: Facebook takes videos with a shape between 9:16 (portrait) and 16:9 (landscape). Crop it.',
      },
    ]);
  });
});
