import { type CallSite, call, type HttpAnswer } from '../http.js';
import type { PlatformDeps } from '../platform.js';
import type { MastodonCredentials } from './credentials.js';
import { toPlatformError } from './errors.js';

/**
 * Authenticated calls to one account's instance.
 *
 * Plain fetch rather than the `masto` client: masto calls the global `fetch` (it cannot take the
 * injected `deps.fetch` that tests and the chaos suite rely on) and builds its timeouts from
 * `AbortSignal.any` + `AbortSignal.timeout`, which on Node 20 can lose their listeners after a
 * garbage collection (see deadline.ts). The handful of routes hayon needs are simple REST calls.
 */
export class MastodonClient {
  constructor(
    private readonly deps: PlatformDeps,
    readonly creds: MastodonCredentials,
  ) {}

  /** Any answer; throws only for a network failure or a timeout (transient). */
  async request(
    site: CallSite,
    path: string,
    signal: AbortSignal,
    init: { body?: RequestInit['body']; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.creds.accessToken}`, ...init.headers };
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    return call(this.deps, site, `${this.creds.instanceUrl}${path}`, { headers, body, signal });
  }

  /** A 2xx answer's body; any other answer as a PlatformError of its kind. */
  async ok<T>(
    site: CallSite,
    path: string,
    signal: AbortSignal,
    init?: Parameters<MastodonClient['request']>[3],
  ): Promise<T> {
    const answer = await this.request(site, path, signal, init);
    if (answer.status >= 200 && answer.status < 300) return answer.body as T;
    throw toPlatformError(answer, site);
  }
}

export const site = (method: CallSite['method'], route: string): CallSite => ({ platform: 'mastodon', method, route });

/** What hayon reads of a Status entity. */
export interface MastodonStatus {
  id: string;
  url: string | null;
  uri: string;
  /** The text as the instance rendered it, HTML. */
  content: string;
  in_reply_to_id: string | null;
  created_at: string;
  media_attachments?: { id: string }[];
}
