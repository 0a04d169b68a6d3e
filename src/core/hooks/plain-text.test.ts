import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlExcerpt, htmlToText, markdownExcerpt, textExcerpt, truncateAtWord } from './plain-text.js';

describe('truncateAtWord', () => {
  it('leaves a text that fits alone and cuts a longer one at a word, "…" included in the count', () => {
    expect(truncateAtWord('short', 5)).toBe('short');
    expect(truncateAtWord('one two three four', 11)).toBe('one two…');
    expect([...truncateAtWord('one two three four', 11)].length).toBeLessThanOrEqual(11);
    expect(truncateAtWord('one two. three', 10)).toBe('one two…');
    expect(truncateAtWord('unbreakable-long-word', 8)).toBe('unbreak…');
  });

  it('cuts a very long text (a webhook excerpt of 300,000 emoji) at a word within the limit', () => {
    // Only the first graphemes are read (segmenting a whole text of this size took about 30 s);
    // how long it takes is not asserted here: a loaded machine must not fail a test.
    expect(truncateAtWord('😀 '.repeat(150_000), 300)).toBe(`${'😀 '.repeat(150).trim()}…`);
    expect(truncateAtWord('😀'.repeat(300_000), 300)).toBe(`${'😀'.repeat(299)}…`);
    expect(truncateAtWord('x'.repeat(300_000), 300)).toBe(`${'x'.repeat(299)}…`);
    expect(truncateAtWord('👩‍👩‍👧‍👦 '.repeat(100_000), 10)).toBe(`${'👩‍👩‍👧‍👦 '.repeat(5).trim()}…`);
  });
});

describe('decodeEntities', () => {
  it('decodes numeric, hex and the common named references, once', () => {
    expect(decodeEntities('We&#8217;re &#x1F680; &amp; &hellip; &nbsp;&ndash;&mdash; &laquo;x&raquo; &#038;')).toBe(
      'We’re 🚀 & …  –— «x» &',
    );
    expect(decodeEntities('&amp;#038; &unknown; &#0; &#xD800; & alone')).toBe('&#038; &unknown; \ufffd \ufffd & alone');
  });
});

describe('htmlToText and htmlExcerpt', () => {
  it('drops tags, comments and scripts; block tags separate words; entities are decoded', () => {
    const html =
      '<!-- wp:paragraph -->\n<p>One&nbsp;<strong>bold</strong> line.</p><p>Two<br/>lines</p><script>alert(1)</script><style>p{}</style>\n<!-- /wp:paragraph -->';
    expect(htmlToText(html)).toBe('One bold line. Two lines');
    expect(htmlToText('Tom &amp; <em>Jerry</em> &lt;3')).toBe('Tom & Jerry <3');
  });

  it("turns WordPress's [&hellip;] into a plain … and cuts to the limit", () => {
    expect(htmlExcerpt('<p>Some words here [&hellip;]</p>\n', 300)).toBe('Some words here…');
    expect(htmlExcerpt('<p>alpha beta gamma delta</p>', 12)).toBe('alpha beta…');
  });

  it('collapses the newlines of a plain excerpt', () => {
    expect(textExcerpt('Title\n\nFirst para.\n * item', 300)).toBe('Title First para. * item');
  });
});

describe('markdownExcerpt', () => {
  it.each([
    ['', ''],
    ['Just one line.', 'Just one line.'],
    [
      '## Highlights\r\n\r\n**Faster** builds, see [the docs](https://x.dev/a_b).\r\n\r\nMore.',
      'Faster builds, see the docs.',
    ],
    ['# Only a heading', 'Only a heading'],
    ['* first item\n* second `item`\n\nnext paragraph', 'first item second item'],
    ['1. one\n2) two', 'one two'],
    ['> quoted *emphasis* and _this_ but not snake_case_name', 'quoted emphasis and this but not snake_case_name'],
    ['```js\nconsole.log(1)\n```\n\nAfter the code.', 'After the code.'],
    [
      '---\n\n![logo](https://x.dev/l.png) ~~old~~ new <sup>1</sup> <https://x.dev> \\*literal\\*',
      'logo old new 1 https://x.dev *literal*',
    ],
    ['- [x] done task\n- [ ] open task', 'done task open task'],
    ['Tom &amp; Jerry [ref link][1]', 'Tom & Jerry ref link'],
  ])('%j → %j', (markdown, expected) => {
    expect(markdownExcerpt(markdown, 200)).toBe(expected);
  });

  it('cuts a long first paragraph at a word within the limit', () => {
    const excerpt = markdownExcerpt(`${'word '.repeat(100)}\n\nsecond`, 200);
    expect([...excerpt].length).toBeLessThanOrEqual(200);
    expect(excerpt.endsWith('word…')).toBe(true);
  });
});
