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
});
