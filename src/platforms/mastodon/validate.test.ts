import { describe, expect, it } from 'vitest';
import { defaultLimits } from './instance.js';
import { validateContent } from './validate.js';

const limits = { ...defaultLimits, maxCharacters: 50, maxMediaAttachments: 2, descriptionLimit: 10 };

describe('validateContent (Mastodon)', () => {
  it('accepts text within the limit, counting a long link as 23', () => {
    expect(validateContent({ text: `x https://example.com/${'p'.repeat(200)}`, media: [] }, limits)).toEqual([]);
  });

  it('names the field and says by how much text is too long', () => {
    expect(validateContent({ text: 'y'.repeat(61), media: [] }, limits)).toEqual([
      {
        field: 'text',
        code: 'content_too_long',
        message: 'Too long for Mastodon by 11 characters (61 of 50; links count 23).',
      },
    ]);
  });

  it('refuses an empty post, too many attachments and too long alt text', () => {
    expect(validateContent({ text: '  ', media: [] }, limits).map((i) => i.message)).toEqual([
      'A Mastodon post needs text or media.',
    ]);
    const issues = validateContent(
      { text: '', media: [{ url: 'a.png' }, { url: 'b.png', alt: 'é'.repeat(12) }, { url: 'c.png' }] },
      limits,
    );
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['media', 'This Mastodon instance takes at most 2 attachments per post (3 given).'],
      ['media[1].alt', 'Alt text of attachment 2 is too long for Mastodon by 2 characters (12 of 10).'],
    ]);
  });
});

describe('validateContent (Mastodon attachments)', () => {
  it('takes images of any type and MP4, WebM and MOV video, by type or by extension', () => {
    for (const media of [
      [{ url: 'a.heic', mimeType: 'image/heic' }],
      [{ url: 'https://m/v.mp4' }],
      [{ url: 'https://m/v.webm?sig=1' }],
      [{ url: 'https://m/v', mimeType: 'video/quicktime' }],
    ]) {
      expect(validateContent({ text: 'x', media }, limits)).toEqual([]);
    }
  });

  it('refuses other types naming media[i], and a video type the instance does not state', () => {
    const issues = validateContent({ text: 'x', media: [{ url: 'a.mp3', mimeType: 'audio/mpeg' }] }, limits);
    expect(issues.map((i) => i.field)).toEqual(['media[0]']);
    const onlyImages = { ...limits, supportedMimeTypes: ['image/png', 'video/mp4'] };
    expect(validateContent({ text: 'x', media: [{ url: 'https://m/v.webm' }] }, onlyImages)).toMatchObject([
      { field: 'media[0]', message: expect.stringContaining('cannot take video/webm') },
    ]);
  });
});
