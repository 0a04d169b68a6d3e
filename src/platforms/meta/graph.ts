import { PlatformError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import type { PlatformId } from '../../core/post.js';
import { type CallSite, call, type HttpAnswer, redact, retryAfterMs } from '../http.js';
import type { PlatformDeps } from '../platform.js';

/** Meta's error envelope: `{"error": {"message", "type", "code", "error_subcode", "is_transient", "fbtrace_id"}}`. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** Codes that mean the token is invalid, expired or revoked: the account must be reconnected. */
const authCodes = new Set([102, 190, 463, 467]);
/** Application (4), user (17), custom (32), per-call (613) and Business Use Case (80001–80014) rate limits. */
const isRateCode = (code: number) =>
  code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80001 && code <= 80014);
/** Instagram's "maximum number of posts published by the Content Publishing API" (code 9). */
const publishLimitSubcode = 2207042;
/** Meta's "temporary issue, try again" codes (`-1`/`-2` are Instagram's server and download timeouts). */
const transientCodes = new Set([-2, -1, 1, 2]);
/** How long a rate limit lasts when the answer does not say: Meta's windows are an hour. */
export const defaultRateLimitWaitMs = 3_600_000;

/**
 * A PlatformError from a Graph API error answer, keeping Meta's `code` and `error_subcode` so a
 * caller can react to one specific answer (Threads' "media not found" right after FINISHED)
 * without reading the message.
 */
export class GraphApiError extends PlatformError {
  readonly graphCode: number | undefined;
  readonly graphSubcode: number | undefined;

  constructor(
    kind: PlatformError['kind'],
    message: string,
    at: CallSite,
    opts: { status: number; retryAfterMs?: number | undefined; graph: GraphErrorBody },
  ) {
    super(kind, message, {
      platform: at.platform,
      method: at.method,
      route: at.route,
      status: opts.status,
      ...(opts.retryAfterMs === undefined ? {} : { retryAfterMs: opts.retryAfterMs }),
    });
    this.name = 'GraphApiError';
    this.graphCode = opts.graph.code;
    this.graphSubcode = opts.graph.error_subcode;
  }
}

/** Where the client sends its calls and how long one may take. */
export interface GraphClientOptions {
  fetch: typeof fetch;
  /** Milliseconds for one call (body included). */
  timeoutMs: number;
  /** The platform errors are attributed to. */
  platform: PlatformId;
  /** Host and version: `https://graph.threads.net/v1.0`, `https://graph.facebook.com/v21.0`; tests use a fake's URL. */
  baseUrl: string;
}

/** Parameters of one call: strings go as they are; anything else is sent as JSON text (Meta's convention for arrays and objects). */
export type GraphParams = Record<string, string | number | boolean | object | undefined>;

/**
 * A small Graph API client over `fetch` for Threads, Instagram and Facebook: GET with a query,
 * POST with a form body, the access token as `access_token`, each call bounded by `timeoutMs`
 * and the caller's signal. Success answers return their JSON; an error answer throws a
 * {@link GraphApiError} (see {@link toPlatformError}); a network failure or a timeout throws a
 * transient PlatformError (the call may still have reached Meta: creating calls must reconcile).
 *
 * @example
 * const graph = createGraphClient({ fetch, timeoutMs: 15_000, platform: 'threads', baseUrl: 'https://graph.threads.net/v1.0' });
 * const { id } = await graph.post('/me/threads', { media_type: 'TEXT', text }, token, signal);
 */
export function createGraphClient(options: GraphClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const deps: PlatformDeps = { fetch: options.fetch, timeoutMs: options.timeoutMs };
  const site = (method: CallSite['method'], path: string): CallSite => ({
    platform: options.platform,
    method,
    // Ids (`123`, `123_456`) out of the route, so errors and logs group by call.
    route: path.replace(/\/\d+(_\d+)?(?=\/|$)/g, '/{id}'),
  });
  const check = <T>(answer: HttpAnswer, at: CallSite): T => {
    if (answer.status >= 200 && answer.status < 300 && !graphError(answer)) return answer.body as T;
    throw toPlatformError(answer, at);
  };
  return {
    /** `GET {baseUrl}{path}?{params}&access_token=…`. */
    async get<T>(path: string, params: GraphParams, token: string, signal: AbortSignal): Promise<T> {
      const at = site('GET', path);
      return check<T>(await call(deps, at, `${base}${path}?${encode(params, token)}`, { signal }), at);
    },
    /** `POST {baseUrl}{path}` with the parameters and the token as a form body. */
    async post<T>(path: string, params: GraphParams, token: string, signal: AbortSignal): Promise<T> {
      const at = site('POST', path);
      const answer = await call(deps, at, `${base}${path}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: encode(params, token),
        signal,
      });
      return check<T>(answer, at);
    },
    /** `DELETE {baseUrl}{path}?access_token=…` (Threads deletes a post this way). */
    async delete<T>(path: string, token: string, signal: AbortSignal): Promise<T> {
      const at = site('DELETE', path);
      return check<T>(await call(deps, at, `${base}${path}?${encode({}, token)}`, { signal }), at);
    },
  };
}

/**
 * Whether a Graph error says the object is not there (any more): code 100 with subcode 33
 * ("Object with ID … does not exist"), or a 404. A delete that meets it has nothing left to do.
 */
export function isGoneError(e: unknown): boolean {
  return e instanceof GraphApiError && (e.httpStatus === 404 || (e.graphCode === 100 && e.graphSubcode === 33));
}

export type GraphClient = ReturnType<typeof createGraphClient>;

function encode(params: GraphParams, token: string): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) form.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  form.set('access_token', token);
  return form.toString();
}

/** The Graph error in an answer, if it holds one. */
export function graphError(answer: HttpAnswer): GraphErrorBody | undefined {
  const body = answer.body;
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  return typeof body.error === 'object' && body.error !== null ? (body.error as GraphErrorBody) : undefined;
}

/**
 * Maps a Graph API error answer onto the four kinds:
 * - 190, 102, 463, 467 (invalid, expired or revoked token) → auth, "reconnect the account";
 * - HTTP 429, codes 4, 17, 32, 613, 80001–80014, and Instagram's publishing limit (9/2207042)
 *   → rate_limited, waiting what `Retry-After` or `X-Business-Use-Case-Usage`
 *   (`estimated_time_to_regain_access`, minutes) say, else an hour;
 * - 5xx, `is_transient: true`, codes 1, 2, -1, -2 → transient;
 * - anything else → invalid, with Meta's sentence (anything shaped like a token taken out).
 */
export function toPlatformError(answer: HttpAnswer, at: CallSite, now: number = Date.now()): GraphApiError {
  const e = graphError(answer) ?? {};
  const status = answer.status;
  const name = platformNames[at.platform];
  const code = e.code;
  const detail = `${e.message ? `: ${redact(e.message)}` : ''}${code !== undefined ? ` (code ${code}${e.error_subcode ? `/${e.error_subcode}` : ''})` : ''}`;
  const make = (kind: PlatformError['kind'], message: string, retryAfterMs?: number) =>
    new GraphApiError(kind, message, at, { status, retryAfterMs, graph: e });
  if (code !== undefined && authCodes.has(code)) {
    return make('auth', `${name} refused the account's token${detail}; reconnect the account.`);
  }
  if (status === 429 || (code !== undefined && isRateCode(code)) || e.error_subcode === publishLimitSubcode) {
    const wait = retryAfterMs(answer.headers, now) ?? usageWait(answer.headers) ?? defaultRateLimitWaitMs;
    return make('rate_limited', `${name} rate limit reached${detail}. Retry in ${Math.ceil(wait / 1000)} s.`, wait);
  }
  if (status >= 500 || e.is_transient === true || (code !== undefined && transientCodes.has(code))) {
    return make('transient', `${name} answered ${status}${detail}.`);
  }
  return make('invalid', `${name} rejected ${at.method} ${at.route}${detail}`);
}

/**
 * `X-Business-Use-Case-Usage` (`{"<id>": [{"type", "call_count", …, "estimated_time_to_regain_access": minutes}]}`)
 * says how long until access returns; the longest wait in it, or undefined.
 */
export function usageWait(headers: Headers): number | undefined {
  const raw = headers.get('x-business-use-case-usage');
  if (!raw) return undefined;
  try {
    const usage = JSON.parse(raw) as Record<string, { estimated_time_to_regain_access?: number }[]>;
    const minutes = Math.max(
      0,
      ...Object.values(usage).flatMap((list) =>
        Array.isArray(list) ? list.map((u) => Number(u.estimated_time_to_regain_access) || 0) : [],
      ),
    );
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}
