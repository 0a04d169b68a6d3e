import { describe, expect, it } from 'vitest';
import type { PlatformError } from '../../core/errors.js';
import type { CallSite, HttpAnswer } from '../http.js';
import { createGraphClient, GraphApiError, toPlatformError, usageWait } from './graph.js';

const at: CallSite = { platform: 'threads', method: 'POST', route: '/{id}/threads_publish' };
const now = Date.UTC(2026, 10, 28, 12, 0, 0);
const answer = (status: number, error?: object, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: new Headers(headers),
  body: error ? { error: { type: 'OAuthException', fbtrace_id: 'Atrace', ...error } } : null,
});

describe('toPlatformError', () => {
  it.each([
    ['190 expired token', answer(400, { code: 190, error_subcode: 463, message: 'Session has expired' }), 'auth'],
    ['102 session', answer(400, { code: 102, message: 'Session key invalid' }), 'auth'],
    ['467 invalid token', answer(400, { code: 190, error_subcode: 467, message: 'Invalid access token' }), 'auth'],
    ['code 4 app limit', answer(400, { code: 4, message: 'Application request limit reached' }), 'rate_limited'],
    ['code 17 user limit', answer(400, { code: 17, message: 'User request limit reached' }), 'rate_limited'],
    ['code 32 page limit', answer(400, { code: 32, message: 'Page request limit reached' }), 'rate_limited'],
    ['code 613 custom limit', answer(400, { code: 613, message: 'Calls exceeded' }), 'rate_limited'],
    [
      'code 80002 BUC limit',
      answer(400, { code: 80002, message: 'Too many calls to this Instagram account' }),
      'rate_limited',
    ],
    ['code 80014', answer(400, { code: 80014, message: 'Too many calls' }), 'rate_limited'],
    ['HTTP 429 without code', answer(429), 'rate_limited'],
    [
      'Instagram publishing limit 9/2207042',
      answer(400, { code: 9, error_subcode: 2207042, message: 'max posts' }),
      'rate_limited',
    ],
    ['code 1 unknown', answer(400, { code: 1, message: 'An unknown error occurred' }), 'transient'],
    ['code 2 service', answer(400, { code: 2, message: 'Service temporarily unavailable' }), 'transient'],
    ['is_transient', answer(400, { code: 368, is_transient: true, message: 'later' }), 'transient'],
    [
      'Instagram download timeout -2',
      answer(400, { code: -2, error_subcode: 2207003, message: 'too long' }),
      'transient',
    ],
    ['HTTP 500', answer(500, { code: 100, message: 'oops' }), 'transient'],
    ['HTTP 503 without body', answer(503), 'transient'],
    [
      'code 100 invalid parameter',
      answer(400, { code: 100, message: 'Param text must be at most 500 characters long' }),
      'invalid',
    ],
    [
      'code 24 media not found',
      answer(400, { code: 24, error_subcode: 4279009, message: 'does not exist' }),
      'invalid',
    ],
    ['HTTP 404 without body', answer(404), 'invalid'],
  ] as const)('%s → %s', (_name, a, kind) => {
    const e = toPlatformError(a, at, now);
    expect(e).toBeInstanceOf(GraphApiError);
    expect(e.kind).toBe(kind);
    expect(e.platform).toBe('threads');
    expect(e.route).toBe('/{id}/threads_publish');
    expect(e.httpStatus).toBe(a.status);
  });

  it('keeps Meta’s code and subcode for callers that react to one answer', () => {
    const e = toPlatformError(answer(400, { code: 24, error_subcode: 4279009, message: 'x' }), at, now);
    expect([e.graphCode, e.graphSubcode]).toEqual([24, 4279009]);
  });

  it('invalid carries Meta’s sentence with the route', () => {
    const e = toPlatformError(answer(400, { code: 100, message: 'Param image_url is required' }), at, now);
    expect(e.message).toBe('Threads rejected POST /{id}/threads_publish: Param image_url is required (code 100)');
  });

  it('auth asks to reconnect and never echoes a token found in the message', () => {
    const token = `THQ${'a'.repeat(40)}`;
    const e = toPlatformError(answer(400, { code: 190, message: `Bad token ${token} access_token=${token}` }), at, now);
    expect(e.message).toContain('reconnect the account');
    expect(e.message).not.toContain(token);
  });

  it.each([
    ['Retry-After seconds', { 'retry-after': '120' }, 120_000],
    ['Retry-After date', { 'retry-after': new Date(now + 30_000).toUTCString() }, 30_000],
    [
      'X-Business-Use-Case-Usage estimated_time_to_regain_access (minutes)',
      {
        'x-business-use-case-usage': JSON.stringify({
          '42': [{ type: 'instagram', estimated_time_to_regain_access: 7 }],
        }),
      },
      420_000,
    ],
    ['no header: an hour', {}, 3_600_000],
  ])('rate limit wait from %s', (_name, headers, ms) => {
    const e = toPlatformError(answer(400, { code: 4, message: 'limit' }, headers), at, now);
    expect(e.retryAfterMs).toBe(ms);
    expect(e.message).toContain(`Retry in ${ms / 1000} s.`);
  });

  it('ignores a malformed usage header', () => {
    expect(usageWait(new Headers({ 'x-business-use-case-usage': 'not json' }))).toBeUndefined();
  });
});

describe('createGraphClient', () => {
  it('sends the token and parameters, and maps a network failure to transient', async () => {
    const seen: { url: string; body: string }[] = [];
    const graph = createGraphClient({
      platform: 'instagram',
      baseUrl: 'https://graph.example/v21.0/',
      timeoutMs: 1000,
      fetch: async (url, init) => {
        seen.push({ url: String(url), body: String(init?.body ?? '') });
        if (seen.length === 3) throw new TypeError('fetch failed');
        return new Response(JSON.stringify({ id: '1' }), { status: 200 });
      },
    });
    const signal = AbortSignal.timeout(5000);
    await graph.get('/42', { fields: 'id,username' }, 'tok', signal);
    await graph.post('/42/media', { image_url: 'https://m/a.png', children: ['1', '2'], n: 3 }, 'tok', signal);
    expect(seen[0]?.url).toBe('https://graph.example/v21.0/42?fields=id%2Cusername&access_token=tok');
    expect(Object.fromEntries(new URLSearchParams(seen[1]?.body))).toEqual({
      image_url: 'https://m/a.png',
      children: '["1","2"]',
      n: '3',
      access_token: 'tok',
    });
    const err = await graph.get('/42', {}, 'tok', signal).catch((e: PlatformError) => e);
    expect((err as PlatformError).kind).toBe('transient');
    expect((err as PlatformError).message).toBe('Instagram could not be reached (GET /{id}).');
  });

  it('an error envelope in a 200 answer is still an error', async () => {
    const graph = createGraphClient({
      platform: 'threads',
      baseUrl: 'https://graph.example',
      timeoutMs: 1000,
      fetch: async () => new Response(JSON.stringify({ error: { code: 190, message: 'expired' } }), { status: 200 }),
    });
    const err = await graph.get('/me', {}, 't', AbortSignal.timeout(5000)).catch((e: PlatformError) => e);
    expect((err as PlatformError).kind).toBe('auth');
  });
});
