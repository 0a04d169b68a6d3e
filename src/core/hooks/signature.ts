import { hmacSha256, safeEqual } from '../hmac.js';

/**
 * Webhook signatures as pure functions: the clock comes in as `nowMs`, every compare is
 * constant-time over equal-length buffers (a signature of another length is a mismatch, never a
 * throw), and several secrets may be tried (while a secret is being rotated). A failed check's
 * `message` is a sentence for the sender naming the header; it never holds a secret or the
 * signature hayon expected.
 */

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch'; message: string };

/** How far a signed timestamp may be from hayon's clock, either way, by default. */
export const defaultToleranceSec = 300;

export const hayonSignatureHeader = 'X-Hayon-Signature';
export const githubSignatureHeader = 'X-Hub-Signature-256';
export const ghostSignatureHeader = 'X-Ghost-Signature';

const ok: SignatureCheck = { ok: true };

function fail(reason: 'missing' | 'malformed' | 'stale' | 'mismatch', message: string): SignatureCheck {
  return { ok: false, reason, message };
}

/** Hex digits, even in number, decoded; undefined for anything else. */
function hexBytes(value: string): Buffer | undefined {
  return /^(?:[0-9a-fA-F]{2})+$/.test(value) ? Buffer.from(value, 'hex') : undefined;
}

/** Whether any given signature equals the digest for any secret, in constant time per compare. */
function anyMatches(given: readonly Buffer[], secrets: readonly string[], digest: (secret: string) => Buffer): boolean {
  for (const secret of secrets) {
    const expected = digest(secret);
    for (const candidate of given) {
      if (safeEqual(candidate, expected)) return true;
    }
  }
  return false;
}

function checkAge(header: string, signedAtMs: number, nowMs: number, toleranceSec: number): SignatureCheck {
  const awaySec = Math.abs(nowMs - signedAtMs) / 1000;
  if (awaySec <= toleranceSec) return ok;
  return fail(
    'stale',
    `${header}: the timestamp is ${Math.ceil(awaySec)} s away from hayon's clock; the limit is ${toleranceSec} s.`,
  );
}

/** The header was sent with a value (a blank one counts as missing). */
function present(header: string | undefined): header is string {
  return header !== undefined && header.trim() !== '';
}

/** The values given for `key`, in order. */
function valuesOf(items: readonly [string, string][], key: string): string[] {
  return items.filter(([k]) => k === key).map(([, v]) => v);
}

/** `key=value` pairs split on commas; undefined when a part has no `=`. */
function pairs(header: string): [string, string][] | undefined {
  const out: [string, string][] = [];
  for (const part of header.split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    out.push([item.slice(0, eq).trim(), item.slice(eq + 1).trim()]);
  }
  return out;
}

/**
 * hayon's scheme, for generic and WordPress hooks and for the callbacks hayon sends:
 * `X-Hayon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 *
 * Given several secrets (while one is being rotated), it signs with each, in order, as one `v1=`
 * entry per secret: a receiver that knows any of them verifies the request.
 *
 * @example signHayon('hks_…', '{"text":"hi"}', 1767225600) // 't=1767225600,v1=5f1c…'
 * @example signHayon(['hcs_new', 'hcs_old'], body, t) // 't=…,v1=<new>,v1=<old>'
 */
export function signHayon(secret: string | readonly string[], body: string | Buffer, unixSeconds: number): string {
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0) {
    throw new RangeError(`unixSeconds must be a whole number of seconds, not ${unixSeconds}`);
  }
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new RangeError('signHayon needs at least one secret');
  const signatures = secrets.map((s) => `v1=${hmacSha256(s, `${unixSeconds}.`, body).toString('hex')}`);
  return `t=${unixSeconds},${signatures.join(',')}`;
}

/**
 * Checks an `X-Hayon-Signature` value. Several `v1=` entries may be present (a sender rotating
 * its secret signs with both): any match passes. Unknown keys are ignored, so a later `v2` can be
 * added beside `v1`. The signature is checked before the time, so a stale answer means the
 * request was genuine but old (a replay, or a sender's clock that is off).
 */
export function verifyHayon(
  header: string | undefined,
  body: Buffer,
  secrets: readonly string[],
  nowMs: number,
  toleranceSec = defaultToleranceSec,
): SignatureCheck {
  const name = hayonSignatureHeader;
  if (!present(header)) {
    return fail(
      'missing',
      `${name} is missing: sign each request with the hook's secret as t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">.`,
    );
  }
  const malformed = fail('malformed', `${name} is malformed: expected t=<unix seconds>,v1=<64 hex digits>.`);
  const items = pairs(header);
  if (!items) return malformed;
  const times = valuesOf(items, 't');
  const given = valuesOf(items, 'v1').map(hexBytes);
  const t = times[0];
  if (times.length !== 1 || t === undefined || !/^[0-9]{1,12}$/.test(t)) return malformed;
  if (given.length === 0 || given.some((g) => g === undefined)) return malformed;
  if (!anyMatches(given as Buffer[], secrets, (secret) => hmacSha256(secret, `${t}.`, body))) {
    return fail(
      'mismatch',
      `${name} does not match: sign "<t>.<raw body>" with the hook's secret (HMAC-SHA256), over the exact bytes sent.`,
    );
  }
  return checkAge(name, Number(t) * 1000, nowMs, toleranceSec);
}

/**
 * GitHub's scheme: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`, with no
 * timestamp (GitHub's "Redeliver" sends the same signature again, and the delivery id then makes
 * it the same post). https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
export function signGithub(secret: string, body: string | Buffer): string {
  return `sha256=${hmacSha256(secret, body).toString('hex')}`;
}

export function verifyGithub(header: string | undefined, body: Buffer, secrets: readonly string[]): SignatureCheck {
  const name = githubSignatureHeader;
  if (!present(header)) {
    return fail('missing', `${name} is missing: set the webhook's secret in GitHub to the hook's secret.`);
  }
  const m = /^sha256=(.*)$/.exec(header.trim());
  const given = m?.[1] === undefined ? undefined : hexBytes(m[1]);
  if (!given) return fail('malformed', `${name} is malformed: expected sha256=<64 hex digits>.`);
  if (!anyMatches([given], secrets, (secret) => hmacSha256(secret, body))) {
    return fail(
      'mismatch',
      `${name} does not match the body: the webhook's secret in GitHub must be the hook's secret.`,
    );
  }
  return ok;
}

/*
 * Ghost's scheme, as Ghost builds it in ghost/core/core/server/services/webhooks/webhook-trigger.js
 * (TryGhost/Ghost; named WebhookTrigger.js in some versions, with the same line):
 *
 *   const ts = Date.now();
 *   headers['X-Ghost-Signature'] =
 *     `sha256=${crypto.createHmac('sha256', secret).update(`${reqPayload}${ts}`).digest('hex')}, t=${ts}`;
 *
 * So: the HMAC covers the raw JSON body immediately followed by the timestamp (no separator),
 * the timestamp is in milliseconds, and the header is `sha256=<hex>, t=<ms>` (comma and space).
 * Ghost retries a failed delivery up to 5 times within seconds, reusing the same header, which
 * fits well inside the tolerance. (Ghost's separate host webhooks, such as email verification,
 * sign `<ts>:<body>` in base64 with an `X-Ghost-Request-Timestamp` header; those are not the
 * integration webhooks a site owner sets up, and are not accepted here.)
 */

/** What Ghost sends as `X-Ghost-Signature` for `body` at `nowMs`. */
export function signGhost(secret: string, body: string | Buffer, nowMs: number): string {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) throw new RangeError(`nowMs must be whole milliseconds, not ${nowMs}`);
  return `sha256=${hmacSha256(secret, body, String(nowMs)).toString('hex')}, t=${nowMs}`;
}

export function verifyGhost(
  header: string | undefined,
  body: Buffer,
  secrets: readonly string[],
  nowMs: number,
  toleranceSec = defaultToleranceSec,
): SignatureCheck {
  const name = ghostSignatureHeader;
  if (!present(header)) {
    return fail(
      'missing',
      `${name} is missing: set the webhook's secret in Ghost (Settings → Integrations → the webhook) to the hook's secret.`,
    );
  }
  const malformed = fail('malformed', `${name} is malformed: expected sha256=<64 hex digits>, t=<milliseconds>.`);
  const items = pairs(header);
  if (!items) return malformed;
  const sigs = valuesOf(items, 'sha256').map(hexBytes);
  const times = valuesOf(items, 't');
  const given = sigs[0];
  const t = times[0];
  if (sigs.length !== 1 || given === undefined || times.length !== 1 || t === undefined) return malformed;
  if (!/^[0-9]{1,15}$/.test(t)) return malformed;
  if (!anyMatches([given], secrets, (secret) => hmacSha256(secret, body, t))) {
    return fail(
      'mismatch',
      `${name} does not match the body: the webhook's secret in Ghost must be the hook's secret.`,
    );
  }
  return checkAge(name, Number(t), nowMs, toleranceSec);
}
