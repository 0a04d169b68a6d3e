import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type SignatureCheck,
  signGhost,
  signGithub,
  signHayon,
  verifyGhost,
  verifyGithub,
  verifyHayon,
} from './signature.js';

const secret = 'hks_s3cr3t-value-that-must-never-leak';
const other = 'hks_another-secret';
const body = Buffer.from('{"text":"Héllo 🚀"}');
const nowMs = Date.parse('2026-05-14T08:30:00Z');
const nowSec = nowMs / 1000;
const hex = (key: string, data: string | Buffer) => createHmac('sha256', key).update(data).digest('hex');

/** A failed check's message holds neither the secret nor any signature hayon computed. */
function expectSafe(check: SignatureCheck, computed: string[]) {
  expect(check.ok).toBe(false);
  if (check.ok) return;
  expect(check.message).not.toContain(secret);
  expect(check.message).not.toContain(other);
  for (const sig of computed) expect(check.message).not.toContain(sig);
}

describe('hayon scheme (X-Hayon-Signature)', () => {
  const expected = hex(secret, Buffer.concat([Buffer.from(`${nowSec}.`), body]));

  it('signs t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> and verifies its own signature', () => {
    const header = signHayon(secret, body, nowSec);
    expect(header).toBe(`t=${nowSec},v1=${expected}`);
    expect(signHayon(secret, body.toString('utf8'), nowSec)).toBe(header);
    expect(verifyHayon(header, body, [secret], nowMs)).toEqual({ ok: true });
  });

  it('refuses a tampered body and a wrong secret as a mismatch', () => {
    const header = signHayon(secret, body, nowSec);
    const tampered = verifyHayon(header, Buffer.from('{"text":"Hello 🚀"}'), [secret], nowMs);
    expect(tampered).toMatchObject({ ok: false, reason: 'mismatch' });
    const wrong = verifyHayon(signHayon(other, body, nowSec), body, [secret], nowMs);
    expect(wrong).toMatchObject({
      ok: false,
      reason: 'mismatch',
      message: expect.stringMatching(/^X-Hayon-Signature/),
    });
    expectSafe(wrong, [expected, hex(other, `${nowSec}.${body}`)]);
    expect(verifyHayon(header, body, [], nowMs)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('refuses a timestamp more than 300 s away, either way, and names the distance', () => {
    const past = verifyHayon(signHayon(secret, body, nowSec - 412), body, [secret], nowMs);
    expect(past).toEqual({
      ok: false,
      reason: 'stale',
      message: "X-Hayon-Signature: the timestamp is 412 s away from hayon's clock; the limit is 300 s.",
    });
    const future = verifyHayon(signHayon(secret, body, nowSec + 301), body, [secret], nowMs);
    expect(future).toMatchObject({ ok: false, reason: 'stale', message: expect.stringContaining('301 s away') });
    expect(verifyHayon(signHayon(secret, body, nowSec - 300), body, [secret], nowMs)).toEqual({ ok: true });
    expect(verifyHayon(signHayon(secret, body, nowSec + 300), body, [secret], nowMs)).toEqual({ ok: true });
    expect(verifyHayon(signHayon(secret, body, nowSec - 30), body, [secret], nowMs, 10)).toMatchObject({
      reason: 'stale',
      message: expect.stringContaining('the limit is 10 s'),
    });
  });

  it('accepts any of several v1 entries and any of several secrets (rotation)', () => {
    const sig = (key: string) => hex(key, `${nowSec}.${body}`);
    expect(verifyHayon(`t=${nowSec},v1=${sig(other)},v1=${sig(secret)}`, body, [secret], nowMs)).toEqual({ ok: true });
    expect(verifyHayon(`t=${nowSec}, v1=${sig(secret)}, v0=abc`, body, [secret], nowMs)).toEqual({ ok: true });
    expect(verifyHayon(signHayon(other, body, nowSec), body, [secret, other], nowMs)).toEqual({ ok: true });
  });

  it('signs with several secrets as one v1 entry each, in order; a receiver with any one verifies', () => {
    const header = signHayon([secret, other], body, nowSec);
    expect(header).toBe(`t=${nowSec},v1=${expected},v1=${hex(other, `${nowSec}.${body}`)}`);
    expect(signHayon([secret], body, nowSec)).toBe(signHayon(secret, body, nowSec));
    expect(verifyHayon(header, body, [secret], nowMs)).toEqual({ ok: true });
    expect(verifyHayon(header, body, [other], nowMs)).toEqual({ ok: true });
    expect(verifyHayon(header, body, ['hks_a-third-secret'], nowMs)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(() => signHayon([], body, nowSec)).toThrow(RangeError);
  });

  it('says missing for no header, malformed for one it cannot read', () => {
    for (const header of [undefined, '', '   ']) {
      expect(verifyHayon(header, body, [secret], nowMs)).toMatchObject({
        ok: false,
        reason: 'missing',
        message: expect.stringMatching(/^X-Hayon-Signature is missing/),
      });
    }
    const sig = hex(secret, `${nowSec}.${body}`);
    for (const header of [
      sig,
      `v1=${sig}`,
      `t=${nowSec}`,
      `t=abc,v1=${sig}`,
      `t=-5,v1=${sig}`,
      `t=${nowSec},t=${nowSec},v1=${sig}`,
      `t=${nowSec},v1=not-hex`,
      `t=${nowSec},v1=abc`,
      `t=${nowSec},v1=`,
      `t=${nowSec};v1=${sig}`,
    ]) {
      const check = verifyHayon(header, body, [secret], nowMs);
      expect(check, header).toMatchObject({ ok: false, reason: 'malformed' });
      expectSafe(check, [sig]);
    }
  });

  it('treats a signature of another length as a mismatch without throwing', () => {
    const sig = hex(secret, `${nowSec}.${body}`);
    for (const v1 of [sig.slice(0, 62), `${sig}00`, 'ab', sig.repeat(2)]) {
      expect(verifyHayon(`t=${nowSec},v1=${v1}`, body, [secret], nowMs)).toMatchObject({ reason: 'mismatch' });
    }
  });

  it('refuses a time that is not whole seconds when signing', () => {
    expect(() => signHayon(secret, body, 1.5)).toThrow(RangeError);
  });
});

describe('GitHub scheme (X-Hub-Signature-256)', () => {
  const expected = hex(secret, body);

  it('signs sha256=<hex HMAC-SHA256 of the body> and verifies it', () => {
    expect(signGithub(secret, body)).toBe(`sha256=${expected}`);
    expect(verifyGithub(signGithub(secret, body), body, [secret])).toEqual({ ok: true });
    expect(verifyGithub(signGithub(other, body), body, [secret, other])).toEqual({ ok: true });
    expect(verifyGithub(`sha256=${expected.toUpperCase()}`, body, [secret])).toEqual({ ok: true });
  });

  it('refuses a tampered body, a wrong secret, other lengths, a malformed or missing header', () => {
    const wrong = verifyGithub(signGithub(other, body), body, [secret]);
    expect(wrong).toMatchObject({
      ok: false,
      reason: 'mismatch',
      message: expect.stringMatching(/^X-Hub-Signature-256/),
    });
    expectSafe(wrong, [expected]);
    expect(verifyGithub(signGithub(secret, body), Buffer.from('{}'), [secret])).toMatchObject({ reason: 'mismatch' });
    expect(verifyGithub(`sha256=${expected.slice(2)}`, body, [secret])).toMatchObject({ reason: 'mismatch' });
    for (const header of [expected, `sha1=${expected}`, 'sha256=', 'sha256=xyz', `sha256 ${expected}`]) {
      expect(verifyGithub(header, body, [secret]), header).toMatchObject({ reason: 'malformed' });
    }
    expect(verifyGithub(undefined, body, [secret])).toMatchObject({ reason: 'missing' });
  });
});

describe("Ghost's scheme (X-Ghost-Signature)", () => {
  // As in Ghost's webhook-trigger.js: HMAC-SHA256 over `${body}${ts}`, ts in milliseconds.
  const expected = hex(secret, `${body.toString('utf8')}${nowMs}`);

  it('signs "sha256=<hex>, t=<ms>" over the body followed by the timestamp, and verifies it', () => {
    const header = signGhost(secret, body, nowMs);
    expect(header).toBe(`sha256=${expected}, t=${nowMs}`);
    expect(verifyGhost(header, body, [secret], nowMs)).toEqual({ ok: true });
    expect(verifyGhost(`t=${nowMs},sha256=${expected}`, body, [secret], nowMs)).toEqual({ ok: true });
    expect(verifyGhost(signGhost(other, body, nowMs), body, [secret, other], nowMs)).toEqual({ ok: true });
  });

  it('does not accept the body alone, or the timestamp in seconds', () => {
    expect(verifyGhost(`sha256=${hex(secret, body)}, t=${nowMs}`, body, [secret], nowMs)).toMatchObject({
      reason: 'mismatch',
    });
    expect(verifyGhost(signGhost(secret, body, nowSec), body, [secret], nowMs)).toMatchObject({ reason: 'stale' });
  });

  it('refuses a stale timestamp either way, a tampered body, a wrong secret, a malformed or missing header', () => {
    const stale = verifyGhost(signGhost(secret, body, nowMs - 10 * 60_000), body, [secret], nowMs);
    expect(stale).toEqual({
      ok: false,
      reason: 'stale',
      message: "X-Ghost-Signature: the timestamp is 600 s away from hayon's clock; the limit is 300 s.",
    });
    expect(verifyGhost(signGhost(secret, body, nowMs + 300_001), body, [secret], nowMs)).toMatchObject({
      reason: 'stale',
    });
    expect(verifyGhost(signGhost(secret, body, nowMs + 299_000), body, [secret], nowMs)).toEqual({ ok: true });
    expect(verifyGhost(signGhost(secret, body, nowMs), Buffer.from('{}'), [secret], nowMs)).toMatchObject({
      reason: 'mismatch',
    });
    const wrong = verifyGhost(signGhost(other, body, nowMs), body, [secret], nowMs);
    expect(wrong).toMatchObject({ reason: 'mismatch', message: expect.stringMatching(/^X-Ghost-Signature/) });
    expectSafe(wrong, [expected]);
    for (const header of [
      `sha256=${expected}`,
      `t=${nowMs}`,
      `sha256=${expected}, t=soon`,
      `sha256=zz, t=${nowMs}`,
      `sha256=${expected}, sha256=${expected}, t=${nowMs}`,
      expected,
    ]) {
      expect(verifyGhost(header, body, [secret], nowMs), header).toMatchObject({ reason: 'malformed' });
    }
    expect(verifyGhost(`sha256=${expected.slice(4)}, t=${nowMs}`, body, [secret], nowMs)).toMatchObject({
      reason: 'mismatch',
    });
    expect(verifyGhost(undefined, body, [secret], nowMs)).toMatchObject({
      reason: 'missing',
      message: expect.stringMatching(/^X-Ghost-Signature is missing/),
    });
  });
});
