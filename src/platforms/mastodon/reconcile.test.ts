import { describe, expect, it } from 'vitest';
import { htmlToText, normalize, readCheckpoint } from './reconcile.js';

describe('htmlToText', () => {
  it('restores paragraphs, line breaks and entities', () => {
    expect(htmlToText('<p>a &amp; b<br />c</p><p>&lt;d&gt; &#39;e&#x27;</p>')).toBe("a & b\nc\n\n<d> 'e'");
  });

  it('keeps the whole link and the mention out of Mastodon markup', () => {
    const html =
      '<p>see <a href="https://example.com/long/path"><span class="invisible">https://</span><span class="ellipsis">example.com/lo</span><span class="invisible">ng/path</span></a> by <span class="h-card"><a href="https://x.social/@bob" class="u-url mention">@<span>bob</span></a></span></p>';
    expect(htmlToText(html)).toBe('see https://example.com/long/path by @bob');
  });
});

describe('normalize', () => {
  it('compares a remote mention as Mastodon renders it and ignores whitespace runs', () => {
    expect(normalize('hi  @bob@x.social\n\nbye ')).toBe(normalize('hi @bob\nbye'));
  });
  it('keeps an e-mail address as written', () => {
    expect(normalize('mail bob@example.com')).toBe('mail bob@example.com');
  });
});

describe('readCheckpoint', () => {
  it('reads what publish saved and nothing else', () => {
    expect(readCheckpoint({ mediaIds: ['1'], postingAt: 5 })).toEqual({ mediaIds: ['1'], postingAt: 5 });
    expect(readCheckpoint({ mediaIds: ['1'] })).toBeUndefined();
    expect(readCheckpoint({ mediaIds: [1], postingAt: 5 })).toBeUndefined();
    expect(readCheckpoint(undefined)).toBeUndefined();
  });
});
