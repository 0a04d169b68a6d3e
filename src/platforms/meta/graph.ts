import type { PlatformError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import type { PlatformId } from '../../core/post.js';
import { type CallSite, call, type HttpAnswer, platformError, redact, retryAfterMs } from '../http.js';
import type { PlatformDeps } from '../platform.js';

/** Meta's error envelope: `{"error": {"message", "type", "code", "error_subcode", "is_transient"}}`. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
}

/** Codes that mean the token is invalid, expired or revoked: the account must be reconnected. */
const authCodes = new Set([102, 190, 463, 467]);
/** Application, user, page and custom rate limits. */
const rateCodes = new Set([4, 17, 32, 613]);
/** Meta's "temporary issue, try again" codes. */
const transientCodes = new Set([1, 2]);

/**
 * A small Graph API client over `deps.fetch` for Threads, Instagram and Facebook: GET and POST
 * with form parameters and the access token, each bounded by the adapter's timeout. Success
 * answers return their JSON; error answers throw a PlatformError (see {@link toPlatformError}).
 *
 * @example
 * const graph = createGraphClient(deps, 'threads', 'https://graph.threads.net/v1.0');
 * const { id } = await graph.post('/me/threads', { media_type: 'TEXT', text }, token, signal);
 */
export function createGraphClient(deps: PlatformDeps, platform: PlatformId, baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  const site = (method: 'GET' | 'POST', path: string): CallSite => ({
    platform,
    method,
    // Ids out of the route, so errors and logs group by call.
    route: path.replace(/\/\d+(?=\/|$)/g, '/{id}'),
  });
  const check = <T>(answer: HttpAnswer, at: CallSite): T => {
    if (answer.status >= 200 && answer.status < 300 && !isErrorBody(answer.body)) return answer.body as T;
    throw toPlatformError(answer, at);
  };
  return {
    async get<T>(path: string, params: Record<string, string>, token: string, signal: AbortSignal): Promise<T> {
      const at = site('GET', path);
      const query = new URLSearchParams({ ...params, access_token: token });
      return check<T>(await call(deps, at, `${base}${path}?${query}`, { signal }), at);
    },
    async post<T>(path: string, params: Record<string, string>, token: string, signal: AbortSignal): Promise<T> {
      const at = site('POST', path);
      const body = new URLSearchParams({ ...params, access_token: token });
      return check<T>(
        await call(deps, at, `${base}${path}`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: body.toString(),
          signal,
        }),
        at,
      );
    },
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;

function isErrorBody(body: unknown): body is { error: GraphErrorBody } {
  return typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object';
}

/** The Graph error in an answer, if it holds one. */
export function graphError(answer: HttpAnswer): GraphErrorBody | undefined {
  return isErrorBody(answer.body) ? answer.body.error : undefined;
}

/**
 * Maps a Graph API error answer onto the four kinds: token errors (190 and its kin) are auth;
 * rate limits (4, 17, 32, 613, and HTTP 429) are rate_limited, waiting what the headers say or
 * an hour; `is_transient`, codes 1 and 2, and 5xx are transient; anything else is invalid with
 * Meta's sentence (tokens taken out).
 */
export function toPlatformError(answer: HttpAnswer, at: CallSite, now: number = Date.now()): PlatformError {
  const e = graphError(answer) ?? {};
  const status = answer.status;
  const name = platformNames[at.platform];
  const code = e.code;
  const detail = `${e.message ? `: ${redact(e.message)}` : ''}${code !== undefined ? ` (code ${code}${e.error_subcode ? `/${e.error_subcode}` : ''})` : ''}`;
  if (code !== undefined && authCodes.has(code)) {
    return platformError(at, 'auth', `${name} refused the account's token${detail}; reconnect the account.`, {
      status,
    });
  }
  if (status === 429 || (code !== undefined && rateCodes.has(code))) {
    const wait = retryAfterMs(answer.headers, now) ?? usageWait(answer.headers) ?? 3_600_000;
    return platformError(
      at,
      'rate_limited',
      `${name} rate limit reached${detail}. Retry in ${Math.ceil(wait / 1000)} s.`,
      {
        status,
        retryAfterMs: wait,
      },
    );
  }
  if (status >= 500 || e.is_transient === true || (code !== undefined && transientCodes.has(code))) {
    return platformError(at, 'transient', `${name} answered ${status}${detail}.`, { status });
  }
  return platformError(at, 'invalid', `${name} rejected ${at.method} ${at.route}${detail}`, { status });
}

/** `X-Business-Use-Case-Usage` / `X-App-Usage` may say how long until access returns (minutes). */
function usageWait(headers: Headers): number | undefined {
  const raw = headers.get('x-business-use-case-usage');
  if (!raw) return undefined;
  try {
    const usage = JSON.parse(raw) as Record<string, { estimated_time_to_regain_access?: number }[]>;
    const minutes = Math.max(
      0,
      ...Object.values(usage).flatMap((list) => list.map((u) => u.estimated_time_to_regain_access ?? 0)),
    );
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}
