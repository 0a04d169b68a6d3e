import { type FailureKind, PlatformError } from '../core/errors.js';
import { platformNames } from '../core/platform-names.js';
import type { PlatformId } from '../core/post.js';
import { deadline } from '../core/deadline.js';
import type { PlatformDeps } from './platform.js';

/** One call as errors name it: `POST /api/v1/statuses`. */
export interface CallSite {
  platform: PlatformId;
  method: 'GET' | 'POST' | 'DELETE';
  route: string;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON, or null when empty. */
  body: unknown;
}

/**
 * One HTTP call for the fetch-based adapters (Mastodon, Meta, Tumblr), bounded by
 * `deps.timeoutMs` and the caller's signal. Any status comes back as an answer; only a network
 * failure or a timeout throws, as a transient PlatformError (the request may or may not have
 * reached the platform: callers that create things must reconcile after it).
 */
export async function call(
  deps: PlatformDeps,
  site: CallSite,
  url: string,
  init: { headers?: Record<string, string>; body?: RequestInit['body'] | undefined; signal: AbortSignal },
): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await deps.fetch(url, {
      method: site.method,
      headers: init.headers ?? {},
      body: init.body ?? null,
      signal: deadline([init.signal], deps.timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: parseBody(text) };
  } catch (e) {
    if (e instanceof PlatformError) throw e;
    const timedOut = e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
    throw platformError(
      site,
      'transient',
      `${platformNames[site.platform]} ${timedOut ? 'did not answer in time' : 'could not be reached'} (${site.method} ${site.route}).`,
      { cause: e },
    );
  }
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function platformError(
  site: CallSite,
  kind: FailureKind,
  message: string,
  opts: { status?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {},
): PlatformError {
  return new PlatformError(kind, message, {
    platform: site.platform,
    method: site.method,
    route: site.route,
    ...(opts.cause === undefined ? {} : { cause: opts.cause }),
    ...(opts.status === undefined ? {} : { status: opts.status }),
    ...(opts.retryAfterMs === undefined ? {} : { retryAfterMs: opts.retryAfterMs }),
  });
}

/**
 * Milliseconds to wait from an answer's headers: `Retry-After` (seconds or an HTTP date), else
 * `X-RateLimit-Reset` (an ISO date on Mastodon, epoch seconds elsewhere). Undefined when none.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ra = headers.get('retry-after')?.trim();
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = (headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'))?.trim();
  if (reset) {
    if (/^\d+$/.test(reset)) {
      const n = Number(reset);
      // Epoch seconds, or (small numbers) seconds from now.
      return n > 1_000_000_000 ? Math.max(0, n * 1000 - now) : n * 1000;
    }
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return undefined;
}

/** A platform's own sentence, shortened, with anything shaped like a token taken out. */
export function redact(message: string): string {
  const clean = message
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[redacted]')
    .replace(/(Bearer|OAuth)\s+\S+/gi, '$1 [redacted]')
    .replace(/access_token=[^&\s]+/gi, 'access_token=[redacted]')
    .replace(/\b(EAA|IGQ|THQ)[\w-]{20,}/g, '[redacted]');
  return clean.length > 300 ? `${clean.slice(0, 297)}...` : clean;
}

/** Real timers, aborted with the signal. */
export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
