import { describe, expect, it } from 'vitest';
import { compileTemplate, TemplateError } from './template.js';

const render = (source: string, data: unknown) => compileTemplate(source).render(data);
const text = (source: string, data: unknown) => {
  const result = render(source, data);
  if (!result.ok) throw new Error(`not rendered: ${JSON.stringify(result)}`);
  return result.text;
};
const compileError = (source: string): TemplateError => {
  try {
    compileTemplate(source);
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error(`compiled: ${source}`);
};

describe('compileTemplate: syntax', () => {
  it('renders literal text and placeholders, with spaces allowed inside the braces', () => {
    const data = { title: 'Hello', release: { tag_name: 'v2.0.0' }, items: [{ name: 'first' }, { name: 'second' }] };
    expect(text('{{title}} {{ release.tag_name }}: {{items.1.name}}', data)).toBe('Hello v2.0.0: second');
    expect(text('no placeholders at all', {})).toBe('no placeholders at all');
    expect(text('{{a_b-c}} {{_x}} {{n0}}', { 'a_b-c': 1, _x: 2, n0: 3 })).toBe('1 2 3');
  });

  it('lists its fields in order, with their modifiers', () => {
    expect(compileTemplate('{{title}} {{excerpt?}} {{body:200}} {{ notes?:50 }}').fields).toEqual([
      { path: 'title', optional: false },
      { path: 'excerpt', optional: true },
      { path: 'body', optional: false, max: 200 },
      { path: 'notes', optional: true, max: 50 },
    ]);
  });

  it('keeps a lone "}}" and single braces as text', () => {
    expect(text('a }} b { c } {{x}}}', { x: 'X' })).toBe('a }} b { c } X}');
  });

  it('renders numbers and booleans with String(), strings as they are', () => {
    expect(text('{{n}} {{f}} {{b}} {{s}} {{z}}', { n: 42, f: 1.5, b: false, s: '<b>&amp;</b>', z: 0 })).toBe(
      '42 1.5 false <b>&amp;</b> 0',
    );
  });

  it('never evaluates anything: code-looking text is text, in the template and in the data', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: "${…}" must stay plain text, which is the point here.
    expect(text('${1+1} {{x}}', { x: '{{y}} ${process.exit(1)}', y: 'no' })).toBe('${1+1} {{y}} ${process.exit(1)}');
  });
});

describe('compileTemplate: errors', () => {
  it.each([
    ['Hello {{title', 'unclosed "{{" at column 7', 7],
    ['{{title}} {{', 'unclosed "{{" at column 11', 11],
    ['ab {{}}', 'empty placeholder "{{}}" at column 4', 4],
    ['ab {{   }}', 'empty placeholder "{{   }}" at column 4', 4],
    ['{{ a..b }}', 'invalid field "a..b" at column 4', 4],
    ['x {{a b}}', 'invalid field "a b" at column 5', 5],
    ['{{title.}}', 'invalid field "title." at column 3', 3],
    ['{{1a}}', 'invalid field "1a" at column 3', 3],
    ['{{ {{title}} }}', 'invalid field "{{title" at column 4', 4],
    ['{{a[0]}}', 'invalid field "a[0]" at column 3', 3],
    ['{{?}}', 'missing field name in "{{?}}" at column 3', 3],
    ['{{ :20 }}', 'missing field name in "{{ :20 }}" at column 4', 4],
    ['{{title:abc}}', 'invalid modifier ":abc" in "{{title:abc}}" at column 8', 8],
    ['{{title:20?}}', 'invalid modifier ":20?" in "{{title:20?}}" at column 8', 8],
    ['{{title??}}', 'invalid modifier "??" in "{{title??}}" at column 8', 8],
    ['{{title|upper}}', 'invalid field "title|upper" at column 3', 3],
    ['{{title:0}}', 'length "0" in "{{title:0}}" at column 9 is out of range', 9],
    ['{{title?:100001}}', 'length "100001" in "{{title?:100001}}" at column 10 is out of range', 10],
  ])('%s → %s', (source, message, column) => {
    const error = compileError(source);
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.column).toBe(column);
  });

  it('counts columns in code points and names the line in a template of several lines', () => {
    expect(compileError('🚀 {{').message).toMatch(/^unclosed "\{\{" at column 3;/);
    const error = compileError('{{title}}\n\nSee {{url');
    expect(error.message).toMatch(/^unclosed "\{\{" at line 3, column 5;/);
    expect([error.line, error.column]).toEqual([3, 5]);
  });

  it('accepts the bounds of a length and refuses a template over 5000 characters', () => {
    expect(compileTemplate('{{a:1}}{{b?:100000}}').fields.map((f) => f.max)).toEqual([1, 100000]);
    expect(() => compileTemplate('x'.repeat(5000))).not.toThrow();
    expect(compileError('x'.repeat(5001)).message).toBe('the template is 5001 characters long; the most is 5000.');
  });

  it('is a TemplateError, an Error', () => {
    const error = compileError('{{');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TemplateError');
  });
});

describe('render: missing and non-text values', () => {
  it('says which path is missing; optional fields render empty', () => {
    expect(render('{{title}} {{url}}', { title: 'x' })).toEqual({ ok: false, missing: 'url', reason: 'missing' });
    expect(render('{{a.b.c}}', { a: { b: null } })).toEqual({ ok: false, missing: 'a.b.c', reason: 'missing' });
    expect(render('{{title}}', { title: null })).toEqual({ ok: false, missing: 'title', reason: 'missing' });
    expect(text('[{{excerpt?}}] [{{gone?:10}}] [{{n?}}]', { n: null })).toBe('[] [] []');
    expect(text('{{a.b?}}', { a: 'a string has no fields' })).toBe('');
  });

  it('refuses objects and lists, even when optional', () => {
    expect(render('{{title}}', { title: { nested: true } })).toEqual({
      ok: false,
      missing: 'title',
      reason: 'not_text',
    });
    expect(render('{{tags?}}', { tags: ['a', 'b'] })).toEqual({ ok: false, missing: 'tags', reason: 'not_text' });
    expect(render('{{when}}', { when: new Date(0) })).toEqual({ ok: false, missing: 'when', reason: 'not_text' });
  });

  it('sees only own fields: the prototype and class internals are missing', () => {
    for (const path of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'title.length', 'list.length']) {
      expect(render(`{{${path}}}`, { title: 'abc', list: [1, 2] })).toEqual({
        ok: false,
        missing: path,
        reason: 'missing',
      });
    }
    expect(text('{{__proto__?}}{{constructor.name?}}', {})).toBe('');
    // JSON.parse makes "__proto__" an own field: then it is data like any other.
    expect(text('{{__proto__}}', JSON.parse('{"__proto__": "own"}'))).toBe('own');
    expect(render('{{size}}', new Map([['size', 'x']]))).toEqual({ ok: false, missing: 'size', reason: 'missing' });
    expect(render('{{0}}', 'text')).toEqual({ ok: false, missing: '0', reason: 'missing' });
  });

  it('indexes lists by position only', () => {
    const data = { items: ['a', 'b'] };
    expect(text('{{items.0}}{{items.1}}', data)).toBe('ab');
    expect(render('{{items.2}}', data)).toEqual({ ok: false, missing: 'items.2', reason: 'missing' });
    expect(render('{{items.01}}', data)).toEqual({ ok: false, missing: 'items.01', reason: 'missing' });
  });
});

describe('render: truncation and layout', () => {
  it('cuts at a word and ends with "…", counted within N', () => {
    expect(text('{{t:12}}', { t: 'The quick brown fox' })).toBe('The quick…');
    expect(text('{{t:10}}', { t: 'The quick brown fox' })).toBe('The quick…');
    expect(text('{{t:19}}', { t: 'The quick brown fox' })).toBe('The quick brown fox');
    expect(text('{{t:14}}', { t: 'Hello, world, and more' })).toBe('Hello, world…');
    expect(text('{{t:1}}', { t: 'abc' })).toBe('…');
    expect(text('{{t:5}}', { t: 12345678 })).toBe('1234…');
  });

  it('cuts inside one long word rather than dropping most of it', () => {
    expect(text('{{t:20}}', { t: 'See https://example.com/a/very/long/path' })).toBe('See https://example…');
  });

  it('counts graphemes, so an emoji or a flag is one character and is never split', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(text('{{t:3}}', { t: `${family}${family}${family}` })).toBe(`${family}${family}${family}`);
    expect(text('{{t:3}}', { t: `${family}${family}${family}${family}` })).toBe(`${family}${family}…`);
    expect(text('{{t:8}}', { t: 'Go 🇩🇪 🇫🇷 team now' })).toBe('Go 🇩🇪 🇫🇷…');
    expect(text('{{t:4}}', { t: 'éééééé' })).toBe('ééé…');
  });

  it('collapses runs of blank lines into one and trims the whole text', () => {
    const source = '{{title}}\n\n{{excerpt?}}\n\n{{url}}';
    expect(text(source, { title: 'T', url: 'U' })).toBe('T\n\nU');
    expect(text(source, { title: 'T', excerpt: 'E', url: 'U' })).toBe('T\n\nE\n\nU');
    expect(text('  {{a?}}\n\n\n\n  \n\nx\r\n\r\n\r\ny  \n', {})).toBe('x\n\ny');
    expect(text('{{a}}', { a: 'one\n\n\n\n\ntwo' })).toBe('one\n\ntwo');
  });
});
