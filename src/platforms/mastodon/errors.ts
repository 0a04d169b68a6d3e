import { MastoHttpError, MastoTimeoutError } from 'masto';
import { PlatformError } from '../../core/errors.js';
import { type CallSite, platformError, redact, retryAfterMs } from '../http.js';

/** An answer as errors read it: its status, headers and what Mastodon said (`error`). */
export interface ErrorAnswer {
  status: number;
  headers: Headers;
  said: string;
}

/**
 * Turns whatever a masto call threw into a PlatformError whose kind decides retries:
 * - `MastoHttpError` by its status: 5xx transient, 429 rate_limited (until `Retry-After` or
 *   `X-RateLimit-Reset`, read from the answer masto keeps as the error's `cause`), 401 and 403 (a
 *   revoked token, missing scopes, a suspended account) auth, every other 4xx invalid with
 *   Mastodon's sentence (`Validation failed: Text character limit of 500 exceeded`);
 * - a timeout (masto's `MastoTimeoutError`, or the call's deadline passing) transient;
 * - an answer masto could not read (not JSON: a proxy's HTML page) transient;
 * - a dropped or refused connection transient.
 */
export function toPlatformError(
  error: unknown,
  at: CallSite,
  now: number = Date.now(),
  deadlinePassed = false,
): PlatformError {
  if (error instanceof PlatformError) return error;
  const where = `${at.method} ${at.route}`;
  if (error instanceof MastoHttpError) {
    const headers = error.cause instanceof Response ? error.cause.headers : new Headers();
    const said = typeof error.message === 'string' ? redact(error.message) : '';
    return fromAnswer({ status: error.statusCode, headers, said }, at, now);
  }
  const timedOut =
    deadlinePassed ||
    error instanceof MastoTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
  if (timedOut) return platformError(at, 'transient', `Mastodon did not answer in time (${where}).`, { cause: error });
  if (unreachable(error)) {
    return platformError(at, 'transient', `Mastodon could not be reached (${where}).`, { cause: error });
  }
  return platformError(at, 'transient', `Mastodon gave an answer hayon could not read (${where}).`, { cause: error });
}

/** The kind of an error answer, from its status alone. */
export function fromAnswer(answer: ErrorAnswer, at: CallSite, now: number): PlatformError {
  const { status, said } = answer;
  const where = `${at.method} ${at.route}`;
  const opts = { status };
  if (status >= 500) return platformError(at, 'transient', `Mastodon answered ${status} (${where}).`, opts);
  if (status === 429) {
    const wait = retryAfterMs(answer.headers, now);
    const hint = wait === undefined ? '' : ` Retry in ${Math.ceil(wait / 1000)} s.`;
    return platformError(at, 'rate_limited', `Mastodon rate limit reached (${where}).${hint}`, {
      ...opts,
      retryAfterMs: wait,
    });
  }
  if (status === 401 || status === 403) {
    return platformError(
      at,
      'auth',
      `Mastodon refused the account's token (${status}${said ? `: ${said}` : ''}); reconnect the account.`,
      opts,
    );
  }
  return platformError(at, 'invalid', `Mastodon rejected ${where} (${status})${said ? `: ${said}` : ''}`, opts);
}

/** fetch's own failure (`TypeError: fetch failed`, caused by ECONNREFUSED, a reset socket…). */
function unreachable(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}
