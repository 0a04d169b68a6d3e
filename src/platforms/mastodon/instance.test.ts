import { describe, expect, it } from 'vitest';
import { countCharacters } from './instance.js';

describe('countCharacters (Mastodon)', () => {
  const limits = { charactersReservedPerUrl: 23 };
  it.each([
    ['plain text', 'hello', 5],
    ['a long URL counts 23', `go https://example.com/${'x'.repeat(100)}`, 3 + 23],
    ['a short URL counts 23 too', 'https://a.io', 23],
    ['a remote mention counts its local part', 'hi @alice@mastodon.social', 3 + 6],
    ['a local mention counts as written', 'hi @alice', 9],
    ['an e-mail address is not a mention', 'mail bob@example.com', 20],
    ['emoji count as code points', '👍🏽', 2],
  ])('%s', (_name, text, want) => {
    expect(countCharacters(text, limits)).toBe(want);
  });
});
