import { hmacSha256, safeEqual } from '../../core/hmac.js';

export interface SlackSignatureInput {
  signingSecret: string;
  /** The raw body, exactly as received. */
  body: string;
  /** `X-Slack-Request-Timestamp`. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=<hex>`. */
  signature: string | undefined;
  /** Epoch ms. */
  now: number;
}

/** How far a request's timestamp may be from now: Slack's recommended 5 minutes. */
export const slackSignatureWindowMs = 5 * 60_000;

/**
 * Slack's request signature: `v0=` + HMAC-SHA256(signing secret, `v0:{timestamp}:{body}`), hex,
 * compared in constant time; a timestamp more than 5 minutes from now is refused (replays).
 */
export function verifySlackSignature(input: SlackSignatureInput): { ok: true } | { ok: false; reason: string } {
  const { timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) {
    return { ok: false, reason: 'The request is not signed by Slack.' };
  }
  if (Math.abs(input.now - Number(timestamp) * 1000) > slackSignatureWindowMs) {
    return { ok: false, reason: 'The request is too old (or the clocks differ by more than 5 minutes).' };
  }
  const expected = `v0=${hmacSha256(input.signingSecret, `v0:${timestamp}:${input.body}`).toString('hex')}`;
  if (!safeEqual(signature, expected)) {
    return { ok: false, reason: 'The request signature does not match.' };
  }
  return { ok: true };
}

/** Signs a body as Slack does (for tests and the fake Slack). */
export function signSlackRequest(signingSecret: string, body: string, timestampSec: number): Record<string, string> {
  const signature = `v0=${hmacSha256(signingSecret, `v0:${timestampSec}:${body}`).toString('hex')}`;
  return { 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': signature };
}
