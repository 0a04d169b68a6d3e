import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signGhost } from '../signature.js';
import { compileTemplate } from '../template.js';
import { ghostSource } from './ghost.js';
import { type HookEvent, HookPayloadError } from './source.js';

type Payload = { post: { current: Record<string, unknown>; previous: Record<string, unknown> } };
const published = (): Payload =>
  JSON.parse(
    readFileSync(new URL('../../../../test/fixtures/hooks/ghost-post-published.json', import.meta.url), 'utf8'),
  );
const withCurrent = (changes: Record<string, unknown>): Payload => {
  const payload = published();
  payload.post.current = { ...payload.post.current, ...changes };
  return payload;
};
const nowMs = Date.parse('2026-05-14T08:30:03Z');
const request = (headers: Record<string, string> = {}, body = '') => ({
  headers: (name: string) => headers[name.toLowerCase()],
  body: Buffer.from(body),
  nowMs,
});
const read = (json: unknown) => ghostSource.read(request(), json);
const post = (json: unknown): Extract<HookEvent, { kind: 'post' }> => {
  const event = read(json);
  if (event.kind !== 'post') throw new Error(`ignored: ${event.reason}`);
  return event;
};
const payloadError = (json: unknown) => {
  try {
    read(json);
  } catch (e) {
    if (e instanceof HookPayloadError) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error('no HookPayloadError');
};

describe('ghost source', () => {
  it('reads post.published: fields, the feature image with its alt text, id + updated_at as event id', () => {
    expect(post(published())).toEqual({
      kind: 'post',
      eventId: '6644a1f09a1f2e0001a1d4c2:2026-05-14T08:30:02.000Z',
      fields: {
        title: 'How we cut our build times in half',
        url: 'https://blog.example.com/how-we-cut-our-build-times-in-half/',
        excerpt: 'Caching, smaller images and one slow test we finally fixed: how our CI went from 14 minutes to 7.',
        slug: 'how-we-cut-our-build-times-in-half',
        authors: 'Ada Park, Sam Reyes',
        tags: 'Engineering, Developer Experience',
        tagsHashtags: '#Engineering #DeveloperExperience',
      },
      media: [
        {
          url: 'https://blog.example.com/content/images/2026/05/ci-dashboard.jpg',
          alt: 'A CI dashboard: build times falling from 14 to 7 minutes',
        },
      ],
    });
  });

  it('renders the default template to title, excerpt and link', () => {
    expect(compileTemplate(ghostSource.defaultTemplate).render(post(published()).fields)).toEqual({
      ok: true,
      text:
        'How we cut our build times in half\n\n' +
        'Caching, smaller images and one slow test we finally fixed: how our CI went from 14 minutes to 7.\n\n' +
        'https://blog.example.com/how-we-cut-our-build-times-in-half/',
    });
  });

  it("falls back to Ghost's own excerpt, as one line of at most 300 characters cut at a word", () => {
    const long = `First line.\n\n${'many words here '.repeat(30)}`;
    const { excerpt } = post(withCurrent({ custom_excerpt: null, excerpt: long })).fields;
    expect(typeof excerpt).toBe('string');
    expect([...(excerpt as string)].length).toBeLessThanOrEqual(300);
    expect(excerpt).toMatch(/^First line\. many words here .*here…$/);
    expect(post(withCurrent({ custom_excerpt: '', excerpt: null, plaintext: null })).fields.excerpt).toBe('');
  });

  it('uses the primary author when the list is empty, skips internal tags, and makes hashtags of tag names', () => {
    const { fields } = post(
      withCurrent({
        authors: [],
        tags: [{ name: 'Node.js' }, { name: 'C++ & Rust' }, { name: '#hidden', visibility: 'public' }, { name: '!!!' }],
      }),
    );
    expect(fields).toMatchObject({
      authors: 'Ada Park',
      tags: 'Node.js, C++ & Rust, !!!',
      tagsHashtags: '#Nodejs #CRust',
    });
  });

  it('attaches no image when there is none, and no alt text when it is empty', () => {
    expect(post(withCurrent({ feature_image: null })).media).toEqual([]);
    expect(post(withCurrent({ feature_image_alt: '' })).media).toEqual([
      { url: 'https://blog.example.com/content/images/2026/05/ci-dashboard.jpg' },
    ]);
  });

  it('has no event id without the post id or updated_at', () => {
    expect(post(withCurrent({ updated_at: undefined })).eventId).toBeUndefined();
  });

  it('acknowledges pages, unpublished posts and deleted posts without a post', () => {
    const { current } = published().post;
    expect(read({ page: { current, previous: {} } })).toEqual({
      kind: 'ignore',
      reason: 'Ghost sent a page, not a post; hayon announces published posts (use the "Post published" event).',
    });
    expect(read(withCurrent({ status: 'draft' }))).toEqual({
      kind: 'ignore',
      reason: 'Ghost post status "draft" is ignored; hayon announces published posts.',
    });
    expect(read({ post: { current: {}, previous: current } })).toMatchObject({ kind: 'ignore' });
    expect(post(withCurrent({ status: undefined })).kind).toBe('post');
  });

  it('names a status that is not text by its kind, even a list nested 20,000 deep (once a stack overflow)', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(read(withCurrent({ status: deep }))).toEqual({
      kind: 'ignore',
      reason: 'Ghost post status "a list" is ignored; hayon announces published posts.',
    });
    expect(read(withCurrent({ status: { a: 1 } }))).toMatchObject({ reason: expect.stringContaining('"an object"') });
  });

  it('refuses a payload without post.current', () => {
    expect(payloadError({ post: { previous: {} } })).toEqual({
      field: 'post.current',
      message: 'Ghost sends the published post as post.current; this payload has none.',
    });
    expect(payloadError({ members: [] })).toMatchObject({ field: 'post.current' });
    expect(payloadError('post')).toMatchObject({ field: 'body' });
  });

  it('verifies X-Ghost-Signature with the time of the request', () => {
    const body = JSON.stringify(published());
    const signed = (at: number) => request({ 'x-ghost-signature': signGhost('hks_k', body, at) }, body);
    expect(ghostSource.verify(signed(nowMs - 1000), ['hks_k'])).toEqual({ ok: true });
    expect(ghostSource.verify(signed(nowMs - 10 * 60_000), ['hks_k'])).toMatchObject({ ok: false, reason: 'stale' });
    expect(ghostSource.verify(signed(nowMs), ['hks_other'])).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(ghostSource.signatureHeader).toBe('X-Ghost-Signature');
  });
});
