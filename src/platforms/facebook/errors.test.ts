import { describe, expect, it } from 'vitest';
import type { CallSite, HttpAnswer } from '../http.js';
import { toFacebookError } from './errors.js';

const at: CallSite = { platform: 'facebook', method: 'POST', route: '/{id}/feed' };
const answer = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: new Headers(headers),
  body: { error: { type: 'OAuthException', fbtrace_id: 'x', ...error } },
});

describe('Facebook error mapping', () => {
  it('an expired or invalidated token (190) is auth, without the token', () => {
    const e = toFacebookError(
      answer(400, {
        code: 190,
        error_subcode: 463,
        message: 'Session has expired; token EAABwzLixnjYBAKZCZCZBZC12345678901234',
      }),
      at,
    );
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('(code 190/463)');
    expect(e.message).not.toContain('EAABwzLixnjYBAKZCZCZBZC12345678901234');
  });

  it('a missing permission (200, 10) is auth: the Page must be reconnected', () => {
    expect(toFacebookError(answer(403, { code: 200, message: '(#200) requires pages_manage_posts' }), at).kind).toBe(
      'auth',
    );
    expect(toFacebookError(answer(400, { code: 10, message: '(#10) no permission' }), at).kind).toBe('auth');
  });

  it('rate limits (4, 17, 32, 613) wait what Meta says, else an hour', () => {
    for (const code of [4, 17, 32, 613]) {
      expect(toFacebookError(answer(400, { code }), at, 0)).toMatchObject({
        kind: 'rate_limited',
        retryAfterMs: 3_600_000,
      });
    }
    const usage = JSON.stringify({ '104729318412345': [{ type: 'pages', estimated_time_to_regain_access: 7 }] });
    expect(toFacebookError(answer(400, { code: 32 }, { 'x-business-use-case-usage': usage }), at, 0)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7 * 60_000,
    });
  });

  it('368 (temporarily blocked) is invalid, with a sentence that says it is not retried', () => {
    const e = toFacebookError(answer(400, { code: 368, message: '(#368) deemed abusive' }), at);
    expect(e.kind).toBe('invalid');
    expect(e.message).toMatch(/blocked.*not retried/);
  });

  it('500 and transient codes are transient; other 4xx invalid with Meta sentence', () => {
    expect(toFacebookError(answer(500, { code: 2, is_transient: true }), at).kind).toBe('transient');
    const e = toFacebookError(answer(400, { code: 100, message: '(#100) Invalid parameter' }), at);
    expect(e.kind).toBe('invalid');
    expect(e.message).toContain('Invalid parameter');
  });
});
