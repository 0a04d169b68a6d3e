import { type CallSite, call, type HttpAnswer } from '../http.js';
import type { PlatformDeps } from '../platform.js';
import { toFacebookError } from './errors.js';

/**
 * The Graph API calls the Facebook adapter makes: GET with a query, POST with a form body, the
 * Page token as `access_token`, each bounded by `deps.timeoutMs`. Success answers return their
 * JSON; error answers throw through {@link toFacebookError}; a network failure or timeout throws
 * a transient error (the call may have reached Facebook: creating calls reconcile after it).
 *
 * Like `meta/graph.ts`'s client, but with the Page-specific error mapping, which needs the raw
 * answer that client does not hand out.
 */
export function createFacebookGraph(deps: PlatformDeps, baseUrl: string, token: string) {
  const base = baseUrl.replace(/\/+$/, '');
  const site = (method: CallSite['method'], path: string): CallSite => ({
    platform: 'facebook',
    method,
    // Ids (`123`, `123_456`) out of the route, so errors and logs group by call.
    route: path.replace(/\/\d+(_\d+)?(?=\/|$)/g, '/{id}'),
  });
  const check = <T>(answer: HttpAnswer, at: CallSite): T => {
    const isError = typeof answer.body === 'object' && answer.body !== null && 'error' in answer.body;
    if (answer.status >= 200 && answer.status < 300 && !isError) return answer.body as T;
    throw toFacebookError(answer, at);
  };
  return {
    async get<T>(path: string, params: Record<string, string>, signal: AbortSignal): Promise<T> {
      const at = site('GET', path);
      const query = new URLSearchParams({ ...params, access_token: token });
      return check<T>(await call(deps, at, `${base}${path}?${query}`, { signal }), at);
    },
    async post<T>(path: string, params: Record<string, string>, signal: AbortSignal): Promise<T> {
      const at = site('POST', path);
      const body = new URLSearchParams({ ...params, access_token: token });
      const answer = await call(deps, at, `${base}${path}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        signal,
      });
      return check<T>(answer, at);
    },
    /** `DELETE {base}{path}?access_token=…`: a Page post goes this way. */
    async delete<T>(path: string, signal: AbortSignal): Promise<T> {
      const at = site('DELETE', path);
      const query = new URLSearchParams({ access_token: token });
      return check<T>(await call(deps, at, `${base}${path}?${query}`, { signal }), at);
    },
  };
}

export type FacebookGraph = ReturnType<typeof createFacebookGraph>;
