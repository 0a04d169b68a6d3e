import { describe, expect, it } from 'vitest';
import { type SplitRules, splitText } from './thread-split.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (max: number): SplitRules => ({
  maxLength: max,
  count: (t) => [...segmenter.segment(t)].length,
});
const codePoints = (max: number): SplitRules => ({ maxLength: max, count: (t) => [...t].length });
/** Mastodon's way: every URL counts 23. */
const mastodon = (max: number): SplitRules => ({
  maxLength: max,
  count: (t) => [...t.replace(/https?:\/\/\S+/g, 'x'.repeat(23))].length,
});

function parts(text: string, rules: SplitRules, counter = false): string[] {
  const result = splitText(text, rules, { counter });
  if (!result.ok) throw new Error(`not split: ${JSON.stringify(result)}`);
  return result.parts;
}

describe('splitText', () => {
  it('keeps a text that fits as one part, without a counter', () => {
    expect(parts('Hello world', graphemes(300), true)).toEqual(['Hello world']);
  });

  it.each([
    {
      name: 'at a paragraph',
      text: 'First paragraph is here.\n\nSecond paragraph follows it.',
      rules: codePoints(40),
      want: ['First paragraph is here.', 'Second paragraph follows it.'],
    },
    {
      name: 'at a sentence when the paragraph is too long',
      text: 'One sentence here. Two sentences there. Three!',
      rules: codePoints(42),
      want: ['One sentence here. Two sentences there.', 'Three!'],
    },
    {
      name: 'between words when a sentence is too long',
      text: 'alpha beta gamma delta epsilon zeta eta theta',
      rules: codePoints(20),
      want: ['alpha beta gamma', 'delta epsilon zeta', 'eta theta'],
    },
    {
      name: 'keeping a URL whole, moved to the next part',
      text: 'read this https://example.com/a/very/long/path now',
      rules: codePoints(40),
      want: ['read this', 'https://example.com/a/very/long/path now'],
    },
  ])('breaks $name', ({ text, rules, want }) => {
    const got = parts(text, rules);
    expect(got.slice(0, want.length)).toEqual(want);
    for (const p of got) expect(rules.count(p)).toBeLessThanOrEqual(rules.maxLength);
  });

  it('never cuts a URL, a mention or a hashtag', () => {
    const text =
      'Thanks @alice.bsky.social and @bob@mastodon.social for #OpenSource work, see https://example.com/changelog/2026 for all of it, and more words after it';
    const got = parts(text, codePoints(40));
    for (const token of [
      '@alice.bsky.social',
      '@bob@mastodon.social',
      '#OpenSource',
      'https://example.com/changelog/2026',
    ]) {
      expect(got.some((p) => p.includes(token))).toBe(true);
    }
    expect(got.join(' ')).toBe(text);
  });

  it('counts URLs the way Mastodon does, so a long URL takes 23 of the limit', () => {
    const url = `https://example.com/${'x'.repeat(200)}`;
    const text = `${'word '.repeat(10)}${url} end`;
    const got = parts(text, mastodon(60));
    expect(got.join(' ')).toBe(text.trim());
    for (const p of got) expect(mastodon(60).count(p)).toBeLessThanOrEqual(60);
    expect(got).toHaveLength(2);
  });

  it('counts emoji with modifiers and ZWJ sequences as one grapheme, and never splits one', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = `${family} `.repeat(30).trim();
    const got = parts(text, graphemes(20));
    expect(got.join(' ')).toBe(text);
    for (const p of got) {
      expect(graphemes(20).count(p)).toBeLessThanOrEqual(20);
      expect(p.split(' ').every((w) => w === family)).toBe(true);
    }
  });

  it('cuts CJK text without spaces between graphemes, at 。 when it can', () => {
    const sentence = '今日は新しい機能を公開しました。';
    const text = sentence.repeat(5);
    const got = parts(text, codePoints(40));
    expect(got.join('')).toBe(text);
    for (const p of got) {
      expect([...p].length).toBeLessThanOrEqual(40);
      expect(p.endsWith('。')).toBe(true);
    }
  });

  it('keeps combining marks with their letter', () => {
    const word = 'e\u0301'.repeat(7); // "ééééééé" written with combining acute accents
    const got = parts(`${word} `.repeat(8).trim(), graphemes(16));
    for (const p of got) expect(p.startsWith('\u0301')).toBe(false);
    expect(got.join(' ')).toBe(`${word} `.repeat(8).trim());
  });

  it('cuts a word longer than a whole post between graphemes', () => {
    const got = parts('a'.repeat(25), codePoints(10));
    expect(got).toEqual(['aaaaaaaaaa', 'aaaaaaaaaa', 'aaaaa']);
  });

  it('adds a counter that is counted in the limit', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';
    const got = parts(text, codePoints(24), true);
    expect(got.at(-1)).toMatch(/ \((\d+)\/\1\)$/);
    got.forEach((p, i) => {
      expect(p.endsWith(` (${i + 1}/${got.length})`)).toBe(true);
      expect([...p].length).toBeLessThanOrEqual(24);
    });
    expect(got.map((p) => p.replace(/ \(\d+\/\d+\)$/, '')).join(' ')).toBe(text);
  });

  it('widens the counter when the thread reaches ten parts', () => {
    const text = 'word '.repeat(60).trim();
    const got = parts(text, codePoints(30), true);
    expect(got.length).toBeGreaterThanOrEqual(10);
    expect(got[0]).toMatch(/ \(1\/\d\d\)$/);
    for (const p of got) expect([...p].length).toBeLessThanOrEqual(30);
  });

  it('refuses a URL longer than one post', () => {
    const url = `https://example.com/${'y'.repeat(60)}`;
    expect(splitText(`see ${url}`, codePoints(40), { counter: false })).toEqual({
      ok: false,
      reason: 'unbreakable',
      token: url,
    });
  });

  it('refuses a text that would take more parts than allowed', () => {
    const result = splitText('word '.repeat(500), codePoints(20), { counter: true, maxParts: 5 });
    expect(result).toMatchObject({ ok: false, reason: 'too_many_parts' });
    if (!result.ok && result.reason === 'too_many_parts') expect(result.parts).toBeGreaterThan(5);
  });
});
