import { describe, expect, it } from 'vitest';
import {
  countCodePoints,
  countGraphemes,
  firstGraphemes,
  graphemeEnds,
  splitGraphemes,
  utf8Length,
} from './text-length.js';

describe('text length', () => {
  it.each([
    ['abc', 3, 3, 3],
    ['👋🏽', 1, 2, 8],
    ['👨‍👩‍👧', 1, 5, 18],
    ['cafe\u0301', 4, 5, 6],
    ['日本語', 3, 3, 9],
    ['a😻', 2, 2, 5],
    ['', 0, 0, 0],
  ])('%j: %i graphemes, %i code points, %i UTF-8 bytes', (text, graphemes, codePoints, bytes) => {
    expect(countGraphemes(text)).toBe(graphemes);
    expect(splitGraphemes(text)).toHaveLength(graphemes);
    expect(countCodePoints(text)).toBe(codePoints);
    expect(utf8Length(text)).toBe(bytes);
  });

  it('splits into graphemes and says where each ends', () => {
    expect(splitGraphemes('a👋🏽é')).toEqual(['a', '👋🏽', 'é']);
    expect(graphemeEnds('a👋🏽e\u0301')).toEqual([1, 5, 7]);
  });

  it('takes the first graphemes without walking the rest', () => {
    expect(firstGraphemes('a👋🏽bc', 2)).toEqual(['a', '👋🏽']);
    expect(firstGraphemes('ab', 5)).toEqual(['a', 'b']);
    const started = performance.now();
    expect(firstGraphemes('😀'.repeat(300_000), 3)).toEqual(['😀', '😀', '😀']);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
