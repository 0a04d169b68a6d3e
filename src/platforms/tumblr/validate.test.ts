import { describe, expect, it } from 'vitest';
import { tumblrRules, validateContent } from './validate.js';

const messages = (content: Parameters<typeof validateContent>[0]) =>
  validateContent(content).map((i) => [i.field, i.code, i.message]);

describe('Tumblr validation', () => {
  it('counts code points: a ZWJ family emoji is several', () => {
    expect(tumblrRules.count('a😻')).toBe(2);
    expect(tumblrRules.count('👨‍👨‍👦')).toBe(5);
    expect(tumblrRules).toMatchObject({ unit: 'characters', threads: false, maxLength: 200_000 });
  });

  it('accepts text alone or an image alone', () => {
    expect(validateContent({ text: 'hi', media: [] })).toEqual([]);
    expect(validateContent({ text: '', media: [{ url: 'https://m/a.png' }] })).toEqual([]);
  });

  it('refuses an empty post', () => {
    expect(messages({ text: '  ', media: [] })).toEqual([
      ['text', 'invalid_request', 'A Tumblr post needs text or an image.'],
    ]);
  });

  it('takes several paragraphs beyond 4,096 in all, but no paragraph over 4,096', () => {
    expect(validateContent({ text: `${'a'.repeat(4096)}\n\n${'b'.repeat(4096)}`, media: [] })).toEqual([]);
    expect(messages({ text: `short\n\n${'é'.repeat(4100)}`, media: [] })).toEqual([
      [
        'text',
        'content_too_long',
        'Paragraph 2 is too long for Tumblr by 4 characters (4100 of 4096); split it with a blank line.',
      ],
    ]);
  });

  it('refuses a text over the whole-post limit', () => {
    const text = Array.from({ length: 50 }, () => 'x'.repeat(4000)).join('\n\n');
    expect(messages({ text, media: [] })).toEqual([
      ['text', 'content_too_long', 'Too long for Tumblr by 98 characters (200098 of 200000).'],
    ]);
  });

  it('refuses more than 30 images, more than one video, and alt text over 4,096', () => {
    const images = Array.from({ length: 31 }, (_, i) => ({ url: `https://m/${i}.png` }));
    expect(messages({ text: 'x', media: images })).toEqual([
      ['media', 'invalid_request', 'Tumblr takes at most 30 images per post (31 given).'],
    ]);
    expect(
      messages({
        text: 'x',
        media: [{ url: 'https://m/a.mp4' }, { url: 'https://m/b', mimeType: 'video/quicktime' }],
      }),
    ).toEqual([['media', 'invalid_request', 'Tumblr takes at most 1 uploaded video per post (2 given).']]);
    expect(
      messages({ text: 'x', media: [{ url: 'https://m/a.png' }, { url: 'https://m/b.png', alt: 'z'.repeat(4097) }] }),
    ).toEqual([
      [
        'media[1].alt',
        'content_too_long',
        'Alt text of attachment 2 is too long for Tumblr (4097 of 4096 characters).',
      ],
    ]);
  });

  it('refuses more than 100 links', () => {
    const text = Array.from({ length: 101 }, (_, i) => `https://e.com/${i}`).join(' ');
    expect(messages({ text, media: [] })).toEqual([
      ['text', 'invalid_request', 'Tumblr takes at most 100 links per post (101 given).'],
    ]);
  });

  it('refuses at the door what Tumblr cannot take, naming media[i]: not image or video, another video type, a video over 100 MB', () => {
    expect(
      messages({
        text: 'x',
        media: [
          { url: 'https://m/a.png' },
          { url: 'https://m/a.pdf', mimeType: 'application/pdf' },
          { url: 'https://m/a.webm', mimeType: 'video/webm' },
          { url: 'https://m/big.mp4', mimeType: 'video/mp4', size: 150 * 1024 * 1024 },
          { url: 'https://m/ok.mov', mimeType: 'video/quicktime', size: 1024 },
        ],
      }),
    ).toEqual([
      ['media', 'invalid_request', 'Tumblr takes at most 1 uploaded video per post (3 given).'],
      [
        'media[1]',
        'invalid_request',
        'media[1] is application/pdf: Tumblr takes only images and videos. Remove it from the Tumblr post or attach an image or video.',
      ],
      [
        'media[2]',
        'invalid_request',
        'media[2] is video/webm: Tumblr takes videos as MP4 or QuickTime (.mov). Convert it to MP4.',
      ],
      [
        'media[3]',
        'invalid_request',
        'media[3] is a 150 MB video: Tumblr takes videos up to 100 MB. Shorten or compress it.',
      ],
    ]);
  });
});
