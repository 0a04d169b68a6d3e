import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from './verify.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const now = 1_700_000_000_000;
const body = 'token=x&team_id=T1&command=%2Fpost&text=hello';

describe('verifySlackSignature', () => {
  const signed = signSlackRequest(secret, body, now / 1000);
  const check = (overrides: Partial<Parameters<typeof verifySlackSignature>[0]>) =>
    verifySlackSignature({
      signingSecret: secret,
      body,
      timestamp: signed['x-slack-request-timestamp'],
      signature: signed['x-slack-signature'],
      now,
      ...overrides,
    });

  it('accepts a request signed with the secret within 5 minutes', () => {
    expect(check({})).toEqual({ ok: true });
    expect(check({ now: now + 299_000 })).toEqual({ ok: true });
  });

  it.each([
    ['another secret', { signingSecret: 'other' }, 'does not match'],
    ['a changed body', { body: `${body}&x=1` }, 'does not match'],
    ['a stale timestamp', { now: now + 301_000 }, 'too old'],
    ['a timestamp from the future', { now: now - 301_000 }, 'too old'],
    ['no signature', { signature: undefined }, 'not signed'],
    ['no timestamp', { timestamp: undefined }, 'not signed'],
    ['a signature of another length', { signature: 'v0=abc' }, 'does not match'],
  ])('refuses %s', (_, overrides, reason) => {
    const result = check(overrides);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});
