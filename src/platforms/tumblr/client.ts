import { PlatformError } from '../../core/errors.js';
import { type CallSite, call, type HttpAnswer } from '../http.js';
import type { PlatformDeps } from '../platform.js';
import type { TumblrCredentials } from './credentials.js';
import { toPlatformError } from './errors.js';
import { oauth1Header } from './oauth1.js';

/** Where and as whom the adapter talks to Tumblr. */
export interface TumblrEndpoint {
  /** `https://api.tumblr.com`; tests point it at FakeTumblrServer. */
  apiUrl: string;
  /** Tumblr requires a User-Agent and expects the same one on every request. */
  userAgent: string;
}

/** Refresh an OAuth 2 token this long before it expires. */
const refreshMarginMs = 60_000;

export const site = (method: CallSite['method'], route: string): CallSite => ({ platform: 'tumblr', method, route });

/**
 * Authenticated calls for one account: OAuth 1.0a signed (HMAC-SHA1) or OAuth 2 bearer. An OAuth
 * 2 token that is expired (or answers 401) is refreshed once when the credentials allow it, and
 * the new tokens are handed to `save`. Non-2xx answers throw the mapped PlatformError.
 */
export class TumblrClient {
  #creds: TumblrCredentials;

  constructor(
    private readonly deps: PlatformDeps,
    private readonly endpoint: TumblrEndpoint,
    creds: TumblrCredentials,
    private readonly save: ((creds: TumblrCredentials) => Promise<void>) | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.#creds = creds;
  }

  get credentials(): TumblrCredentials {
    return this.#creds;
  }

  /** `path` may carry a query; `json` is sent as JSON, `form` as multipart. Returns the `response` field. */
  async request<T>(
    at: CallSite,
    path: string,
    signal: AbortSignal,
    body: { json?: unknown; form?: FormData } = {},
  ): Promise<T> {
    const c = this.#creds;
    if (c.auth === 'oauth2' && c.expiresAt !== undefined && c.expiresAt - refreshMarginMs <= this.clock()) {
      await this.refresh(signal);
    }
    let answer = await this.#send(at, path, signal, body);
    if (answer.status === 401 && this.#canRefresh()) {
      await this.refresh(signal);
      answer = await this.#send(at, path, signal, body);
    }
    if (answer.status < 200 || answer.status >= 300) throw toPlatformError(answer, at, this.clock());
    return ((answer.body as { response?: unknown } | null)?.response ?? {}) as T;
  }

  #send(
    at: CallSite,
    path: string,
    signal: AbortSignal,
    body: { json?: unknown; form?: FormData },
  ): Promise<HttpAnswer> {
    const url = `${this.endpoint.apiUrl}${path}`;
    const c = this.#creds;
    const headers: Record<string, string> = { 'user-agent': this.endpoint.userAgent, accept: 'application/json' };
    // Only form-encoded bodies are signed (RFC 5849 §3.4.1.3); JSON and multipart are not.
    headers.authorization = c.auth === 'oauth1' ? oauth1Header(c, at.method, url) : `Bearer ${c.accessToken}`;
    let payload: RequestInit['body'] | undefined;
    if (body.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body.form) {
      payload = body.form; // fetch sets the multipart content type with its boundary
    }
    return call(this.deps, at, url, { headers, body: payload, signal });
  }

  #canRefresh(): boolean {
    const c = this.#creds;
    return c.auth === 'oauth2' && !!c.refreshToken && !!c.clientId && !!c.clientSecret;
  }

  /** Whether the token expires before `at` and can be refreshed (OAuth 2 with a refresh token). */
  refreshableBefore(at: number): boolean {
    const c = this.#creds;
    return this.#canRefresh() && c.auth === 'oauth2' && c.expiresAt !== undefined && c.expiresAt <= at;
  }

  /** `POST /v2/oauth2/token` with the refresh token grant; Tumblr answers a new access and refresh token. */
  async refresh(signal: AbortSignal): Promise<void> {
    const c = this.#creds;
    const at = site('POST', '/v2/oauth2/token');
    if (c.auth !== 'oauth2' || !this.#canRefresh()) {
      throw new PlatformError(
        'auth',
        'The Tumblr access token expired and cannot be refreshed; reconnect the account.',
        {
          platform: 'tumblr',
          route: at.route,
        },
      );
    }
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: c.refreshToken ?? '',
      client_id: c.clientId ?? '',
      client_secret: c.clientSecret ?? '',
    });
    const answer = await call(this.deps, at, `${this.endpoint.apiUrl}${at.route}`, {
      headers: { 'user-agent': this.endpoint.userAgent, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal,
    });
    // A refused refresh token (400 invalid_grant, 401) means the grant is gone: reconnect.
    if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
      throw new PlatformError(
        'auth',
        `Tumblr refused to refresh the access token (${answer.status}); reconnect the account.`,
        { platform: 'tumblr', method: at.method, route: at.route, status: answer.status },
      );
    }
    if (answer.status !== 200) throw toPlatformError(answer, at, this.clock());
    const t = answer.body as { access_token?: string; refresh_token?: string; expires_in?: number };
    if (!t.access_token) {
      throw new PlatformError('transient', 'Tumblr answered a token refresh without a token.', {
        platform: 'tumblr',
        route: at.route,
      });
    }
    this.#creds = {
      ...c,
      accessToken: t.access_token,
      refreshToken: t.refresh_token ?? c.refreshToken,
      ...(typeof t.expires_in === 'number' ? { expiresAt: this.clock() + t.expires_in * 1000 } : {}),
    };
    await this.save?.(this.#creds);
  }
}
