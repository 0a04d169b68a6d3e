import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signHayon } from '../signature.js';
import { compileTemplate } from '../template.js';
import { type HookEvent, HookPayloadError } from './source.js';
import { wordpressSource } from './wordpress.js';

type Json = Record<string, unknown>;
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../../../test/fixtures/hooks/${name}`, import.meta.url), 'utf8'));
const wpWebhooks = () => fixture('wordpress-wp-webhooks-post.json') as Json & { post: Json };
const rest = () => fixture('wordpress-rest-post.json');
const nowMs = Date.parse('2026-05-20T16:05:00Z');
const request = (headers: Record<string, string> = {}, body = '') => ({
  headers: (name: string) => headers[name.toLowerCase()],
  body: Buffer.from(body),
  nowMs,
});
const read = (json: unknown, headers?: Record<string, string>) => wordpressSource.read(request(headers), json);
const post = (json: unknown, headers?: Record<string, string>): Extract<HookEvent, { kind: 'post' }> => {
  const event = read(json, headers);
  if (event.kind !== 'post') throw new Error(`ignored: ${event.reason}`);
  return event;
};
const renderDefault = (fields: Json) => compileTemplate(wordpressSource.defaultTemplate).render(fields);
const payloadError = (json: unknown, headers?: Record<string, string>) => {
  try {
    read(json, headers);
  } catch (e) {
    if (e instanceof HookPayloadError) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error('no HookPayloadError');
};

const wpwExcerpt =
  'From June 1, the community garden opens at 7 am on weekdays, an hour earlier than before. ' +
  'Weekend hours stay the same: 9 am to 6 pm. Thanks to everyone who answered the survey – 212 of you did.';
const restExcerpt =
  'After five years of monthly meetups in the back room of the same café, we’re trying something new. ' +
  'From July, every meetup is streamed, and the room stays open for whoever wants to come. ' +
  'Here’s what changes, what doesn’t, and how to join the first online session on the second Thursday of July, with…';

describe('wordpress source: WP Webhooks shape', () => {
  it('reads a published post: plain-text title and excerpt from the content, thumbnail, id + modified as event id', () => {
    expect(post(wpWebhooks())).toEqual({
      kind: 'post',
      eventId: '4127:2026-05-14 08:15:00',
      fields: {
        title: 'Summer opening hours & a new gate',
        url: 'https://www.example.org/2026/05/14/summer-opening-hours-a-new-gate/',
        excerpt: wpwExcerpt,
        id: '4127',
      },
      media: [{ url: 'https://www.example.org/wp-content/uploads/2026/05/garden-gate.jpg' }],
    });
  });

  it('renders the default template', () => {
    expect(renderDefault(post(wpWebhooks()).fields)).toEqual({
      ok: true,
      text: `Summer opening hours & a new gate\n\n${wpwExcerpt}\n\nhttps://www.example.org/2026/05/14/summer-opening-hours-a-new-gate/`,
    });
  });

  it('prefers the written excerpt, takes no image for post_thumbnail false, and prefers Idempotency-Key', () => {
    const payload = wpWebhooks();
    payload.post = { ...payload.post, post_excerpt: 'Earlier &amp; <em>longer</em> hours.' };
    payload.post_thumbnail = false;
    const event = post(payload, { 'idempotency-key': 'wp-4127-publish' });
    expect(event.fields.excerpt).toBe('Earlier & longer hours.');
    expect(event.media).toEqual([]);
    expect(event.eventId).toBe('wp-4127-publish');
  });

  it('acknowledges a post that is not published (a draft, an attachment) without a post', () => {
    const payload = wpWebhooks();
    payload.post = { ...payload.post, post_status: 'draft' };
    expect(read(payload)).toEqual({
      kind: 'ignore',
      reason: 'WordPress post status "draft" is ignored; hayon announces published posts.',
    });
    payload.post = { ...payload.post, post_status: 'inherit', post_type: 'attachment' };
    expect(read(payload)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('"inherit"') });
  });
});

describe('wordpress source: REST API shape', () => {
  it('reads a post: decoded title, excerpt without the [&hellip;] mark, embedded image with alt text', () => {
    expect(post(rest())).toEqual({
      kind: 'post',
      eventId: '4182:2026-05-20T16:04:31',
      fields: {
        title: 'Why we’re moving our meetups online & what stays the same',
        url: 'https://www.example.org/2026/05/20/why-were-moving-our-meetups-online/',
        excerpt: restExcerpt,
        id: '4182',
      },
      media: [
        {
          url: 'https://www.example.org/wp-content/uploads/2026/05/meetup-laptops.jpg',
          alt: 'Six people around a table with laptops and coffee cups',
        },
      ],
    });
    expect([...restExcerpt].length).toBeLessThanOrEqual(300);
  });

  it('renders the default template', () => {
    expect(renderDefault(post(rest()).fields)).toEqual({
      ok: true,
      text: `Why we’re moving our meetups online & what stays the same\n\n${restExcerpt}\n\nhttps://www.example.org/2026/05/20/why-were-moving-our-meetups-online/`,
    });
  });

  it('takes the image from Jetpack or featured_image_url without _embedded, and none when there is none', () => {
    const base = { ...rest(), _embedded: undefined };
    expect(post(base).media).toEqual([
      { url: 'https://www.example.org/wp-content/uploads/2026/05/meetup-laptops.jpg' },
    ]);
    const plugin = { ...base, jetpack_featured_media_url: '', featured_image_url: 'https://cdn.example.org/f.png' };
    expect(post(plugin).media).toEqual([{ url: 'https://cdn.example.org/f.png' }]);
    expect(post({ ...plugin, featured_image_url: undefined }).media).toEqual([]);
    const forbidden = { ...base, _embedded: { 'wp:featuredmedia': [{ code: 'rest_forbidden' }] } };
    expect(post(forbidden).media).toEqual([
      { url: 'https://www.example.org/wp-content/uploads/2026/05/meetup-laptops.jpg' },
    ]);
  });

  it('uses the content when the excerpt is empty, and has no event id without modified_gmt', () => {
    const event = post({
      ...rest(),
      excerpt: { rendered: '', protected: false },
      content: { rendered: '\n<p>Only the <strong>content</strong> &#8211; here.</p>\n', protected: false },
      modified_gmt: undefined,
    });
    expect(event.fields.excerpt).toBe('Only the content – here.');
    expect(event.eventId).toBeUndefined();
  });

  it('treats a post without status as published (the public view) and ignores a scheduled one', () => {
    expect(post({ ...rest(), status: undefined }).kind).toBe('post');
    expect(read({ ...rest(), status: 'future' })).toMatchObject({
      kind: 'ignore',
      reason: expect.stringContaining('"future"'),
    });
  });
});

describe('wordpress source: refusals and signature', () => {
  it('refuses a body of neither shape, and a bad Idempotency-Key', () => {
    const error = payloadError({ title: 'Hello', url: 'https://x' });
    expect(error.field).toBe('body');
    expect(error.message).toContain('a WordPress post');
    expect(error.message).toContain('(REST API shape)');
    expect(payloadError([wpWebhooks()])).toMatchObject({ field: 'body' });
    expect(payloadError(rest(), { 'idempotency-key': 'k'.repeat(256) })).toEqual({
      field: 'Idempotency-Key',
      message: 'must be 1 to 255 characters; this one has 256.',
    });
  });

  it('verifies X-Hayon-Signature', () => {
    const body = JSON.stringify(rest());
    const signed = request({ 'x-hayon-signature': signHayon('hks_k', body, Math.floor(nowMs / 1000)) }, body);
    expect(wordpressSource.verify(signed, ['hks_k'])).toEqual({ ok: true });
    expect(wordpressSource.verify(signed, ['hks_other'])).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(wordpressSource.signatureHeader).toBe('X-Hayon-Signature');
  });
});
