import { XRPCError } from '@atproto/api';
import { type FailureKind, PlatformError } from '../../core/errors.js';
import { redact, retryAfterMs } from '../http.js';

/** An XRPC method as errors name it. */
export interface Route {
  method: 'GET' | 'POST';
  route: string;
}

/** The XRPC methods the adapter calls. */
export const routes = {
  createSession: { method: 'POST', route: 'com.atproto.server.createSession' },
  refreshSession: { method: 'POST', route: 'com.atproto.server.refreshSession' },
  resolveHandle: { method: 'GET', route: 'com.atproto.identity.resolveHandle' },
  uploadBlob: { method: 'POST', route: 'com.atproto.repo.uploadBlob' },
  createRecord: { method: 'POST', route: 'com.atproto.repo.createRecord' },
  deleteRecord: { method: 'POST', route: 'com.atproto.repo.deleteRecord' },
  getRecord: { method: 'GET', route: 'com.atproto.repo.getRecord' },
  describeServer: { method: 'GET', route: 'com.atproto.server.describeServer' },
  getServiceAuth: { method: 'GET', route: 'com.atproto.server.getServiceAuth' },
  uploadVideo: { method: 'POST', route: 'app.bsky.video.uploadVideo' },
  getJobStatus: { method: 'GET', route: 'app.bsky.video.getJobStatus' },
} as const satisfies Record<string, Route>;

/** Error names that mean the account must be logged in again (or reconnected). */
const authErrors = new Set([
  'AuthenticationRequired',
  'AuthMissing',
  'ExpiredToken',
  'InvalidToken',
  'AccountTakedown',
  'AccountDeactivated',
]);

/** Error names a fresh session cannot fix: the account itself is blocked. */
const accountErrors = new Set(['AccountTakedown', 'AccountDeactivated']);

/** Whether an error says the session's tokens are no longer accepted (a refresh or login may help). */
export function isSessionError(e: unknown): boolean {
  if (!(e instanceof XRPCError)) return false;
  if (accountErrors.has(e.error ?? '')) return false;
  return e.status === 401 || authErrors.has(e.error ?? '');
}

/**
 * Turns what an XRPC call threw into a PlatformError whose kind decides retries: network
 * failures, timeouts and 5xx are transient, 429 is rate_limited (with the wait the server asked
 * for), rejected credentials are auth, and every other 4xx is invalid. Anything else (a bug) is
 * returned unchanged. Messages are built from status codes and error names (plus the server's
 * sentence for invalid content), never from tokens or passwords.
 */
export function toPlatformError(e: unknown, at: Route, now: number = Date.now()): unknown {
  if (e instanceof PlatformError) return e;
  if (isAbortLike(e) || (e instanceof XRPCError && isAbortLike(e.cause))) {
    return platformError('transient', `Bluesky call ${at.route} timed out or was aborted.`, at, e);
  }
  if (!(e instanceof XRPCError)) return e;
  const status = e.status;
  const name = e.error && e.error !== 'Unknown' ? e.error : undefined;
  const opts = { status: status >= 100 ? status : undefined };
  // Below 100 are @atproto/xrpc's own codes: 1 a network failure, 2 an answer that does not
  // match the lexicon. Both, like a 5xx, are worth a retry.
  if (status < 100 || status >= 500) {
    const what =
      status === 1
        ? 'could not be reached'
        : status === 2
          ? 'sent a malformed answer'
          : `answered ${status}${name ? ` ${name}` : ''}`;
    return platformError('transient', `Bluesky ${what} (${at.route}).`, at, e, opts);
  }
  if (status === 429) {
    const retryAfterMs = retryAfter(e.headers ?? {}, now);
    const wait = retryAfterMs === undefined ? '' : ` Retry in ${Math.ceil(retryAfterMs / 1000)} s.`;
    return platformError('rate_limited', `Bluesky rate limit reached (${at.route}).${wait}`, at, e, {
      ...opts,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 401 || status === 403 || authErrors.has(name ?? '')) {
    const why = name ?? (status === 403 ? 'Forbidden' : 'AuthenticationRequired');
    return platformError(
      'auth',
      `Bluesky refused the account's credentials (${why}); reconnect the account.`,
      at,
      e,
      opts,
    );
  }
  const detail = e.message && e.message !== name ? `: ${redact(e.message)}` : '';
  return platformError(
    'invalid',
    `Bluesky rejected ${at.route} (${status} ${name ?? 'InvalidRequest'})${detail}`,
    at,
    e,
    opts,
  );
}

/** Throws `e` mapped by {@link toPlatformError}. */
export function rethrow(e: unknown, at: Route): never {
  throw toPlatformError(e, at);
}

/**
 * Milliseconds to wait from a 429's headers (`retry-after`, else `ratelimit-reset` in epoch
 * seconds, Bluesky's PDS), as every adapter reads them. Undefined when neither is usable.
 */
export function retryAfter(headers: Record<string, string | undefined>, now: number): number | undefined {
  const defined = Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined);
  return retryAfterMs(new Headers(defined), now);
}

function platformError(
  kind: FailureKind,
  message: string,
  at: Route,
  cause: unknown,
  opts: { status?: number | undefined; retryAfterMs?: number } = {},
): PlatformError {
  return new PlatformError(kind, message, {
    platform: 'bluesky',
    method: at.method,
    route: at.route,
    cause,
    ...(opts.status === undefined ? {} : { status: opts.status }),
    ...(opts.retryAfterMs === undefined ? {} : { retryAfterMs: opts.retryAfterMs }),
  });
}

function isAbortLike(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
}
