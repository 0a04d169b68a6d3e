import { describe, expect, it } from 'vitest';
import { signHayon } from '../signature.js';
import { compileTemplate } from '../template.js';
import { genericSource } from './generic.js';
import { HookPayloadError } from './source.js';

const nowMs = Date.parse('2026-05-14T12:00:00Z');
const request = (headers: Record<string, string> = {}, body = '') => ({
  headers: (name: string) => headers[name.toLowerCase()],
  body: Buffer.from(body),
  nowMs,
});
const payloadError = (json: unknown, headers?: Record<string, string>) => {
  try {
    genericSource.read(request(headers), json);
  } catch (e) {
    if (e instanceof HookPayloadError) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error('no HookPayloadError');
};

describe('generic source', () => {
  it('takes the JSON object as the fields and Idempotency-Key as the event id', () => {
    const body = { title: 'Build 42 is green', links: [{ href: 'https://ci.example/42' }] };
    const event = genericSource.read(request({ 'idempotency-key': 'build-42' }), body);
    expect(event).toEqual({ kind: 'post', eventId: 'build-42', fields: body, media: [] });
    if (event.kind !== 'post') return;
    expect(compileTemplate('{{title}}: {{links.0.href}}').render(event.fields)).toEqual({
      ok: true,
      text: 'Build 42 is green: https://ci.example/42',
    });
    expect(compileTemplate(genericSource.defaultTemplate).render({ text: ' hello ' })).toEqual({
      ok: true,
      text: 'hello',
    });
  });

  it('has no event id without Idempotency-Key; takes one of 255 characters', () => {
    expect(genericSource.read(request(), {})).toMatchObject({ kind: 'post', eventId: undefined });
    const key = 'k'.repeat(255);
    expect(genericSource.read(request({ 'idempotency-key': key }), {})).toMatchObject({ eventId: key });
  });

  it('refuses a body that is not an object, and an empty or overlong Idempotency-Key', () => {
    expect(payloadError([{ text: 'x' }])).toEqual({
      field: 'body',
      message: 'expected a JSON object, like {"text": "…"}; the body is a list.',
    });
    expect(payloadError(null)).toMatchObject({ field: 'body', message: expect.stringContaining('null') });
    expect(payloadError('text')).toMatchObject({ field: 'body', message: expect.stringContaining('a string') });
    expect(payloadError({}, { 'idempotency-key': '' })).toEqual({
      field: 'Idempotency-Key',
      message: 'must be 1 to 255 characters; this one has 0.',
    });
    expect(payloadError({}, { 'idempotency-key': 'k'.repeat(256) })).toMatchObject({ field: 'Idempotency-Key' });
  });

  it('verifies X-Hayon-Signature against the time of the request', () => {
    const body = '{"text":"hi"}';
    const at = (sec: number) => request({ 'x-hayon-signature': signHayon('hks_k', body, sec) }, body);
    expect(genericSource.verify(at(nowMs / 1000), ['hks_k'])).toEqual({ ok: true });
    expect(genericSource.verify(at(nowMs / 1000 - 301), ['hks_k'])).toMatchObject({ reason: 'stale' });
    expect(genericSource.verify(request({}, body), ['hks_k'])).toMatchObject({ reason: 'missing' });
    expect(genericSource.fields).toBeNull();
  });
});
