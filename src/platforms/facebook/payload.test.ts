import { describe, expect, it } from 'vitest';
import { attachParams, planPost } from './payload.js';

describe('Facebook payloads', () => {
  it('a text post is a feed message; its first URL also becomes its link card', () => {
    expect(planPost({ text: 'Fresh bread', media: [] })).toEqual({ kind: 'feed', params: { message: 'Fresh bread' } });
    expect(planPost({ text: 'Menu: https://bakery.example/menu.', media: [] })).toEqual({
      kind: 'feed',
      params: { message: 'Menu: https://bakery.example/menu.', link: 'https://bakery.example/menu' },
    });
  });

  it('with two URLs the first is the card; linkPreview: false sends none', () => {
    const text = 'https://a.example/x, then https://b.example';
    expect(planPost({ text, media: [] })).toEqual({
      kind: 'feed',
      params: { message: text, link: 'https://a.example/x' },
    });
    expect(planPost({ text, media: [], linkPreview: false })).toEqual({ kind: 'feed', params: { message: text } });
    expect(planPost({ text: 'no links here', media: [] })).toEqual({
      kind: 'feed',
      params: { message: 'no links here' },
    });
  });

  it('photos are uploaded unpublished, with their alt text, then attached in order', () => {
    const plan = planPost({
      text: 'Two loaves https://bakery.example',
      media: [{ url: 'https://m.example/a.jpg', alt: 'A sourdough loaf' }, { url: 'https://m.example/b.jpg' }],
    });
    expect(plan).toEqual({
      kind: 'photos',
      message: 'Two loaves https://bakery.example',
      photos: [
        { url: 'https://m.example/a.jpg', published: 'false', alt_text_custom: 'A sourdough loaf' },
        { url: 'https://m.example/b.jpg', published: 'false' },
      ],
    });
    expect(attachParams('Two loaves', ['11', '12'])).toEqual({
      message: 'Two loaves',
      'attached_media[0]': '{"media_fbid":"11"}',
      'attached_media[1]': '{"media_fbid":"12"}',
    });
    expect(attachParams('', ['11'])).toEqual({ 'attached_media[0]': '{"media_fbid":"11"}' });
  });

  it('a video goes by file_url with the text as its description', () => {
    expect(planPost({ text: 'Tour', media: [{ url: 'https://m.example/v?sig=1', mimeType: 'video/mp4' }] })).toEqual({
      kind: 'video',
      params: { file_url: 'https://m.example/v?sig=1', description: 'Tour' },
    });
  });
});
