import { PlatformError } from '../../core/errors.js';
import { type CallSite, call, type HttpAnswer } from '../http.js';
import type { PlatformDeps } from '../platform.js';
import { type ListedPost, type NewPost, routes, site, type TumblrApi, type Upload, type UserInfo } from './api.js';
import type { TumblrCredentials, TumblrOAuth2Credentials } from './credentials.js';
import { toPlatformError } from './errors.js';

/** Where and as whom the adapter talks to Tumblr. */
export interface TumblrEndpoint {
  /** `https://api.tumblr.com`; tests point it at FakeTumblrServer. */
  apiUrl: string;
  /** Tumblr requires a User-Agent and expects the same one on every request. */
  userAgent: string;
}

/** Refresh an OAuth 2 token this long before it expires. */
const refreshMarginMs = 60_000;

type OAuth2 = { auth: 'oauth2' } & TumblrOAuth2Credentials;

/**
 * The thin client for OAuth 2 accounts (tumblr.js knows only OAuth 1.0a): bearer-token calls with
 * fetch, bounded by `deps.timeoutMs` and the caller's signal (http.ts `call`). An expired token (or
 * one answered with 401) is refreshed once when the credentials allow it, and the new tokens are
 * handed to `save`. Non-2xx answers throw the mapped PlatformError.
 */
export class BearerTumblrApi implements TumblrApi {
  #creds: OAuth2;

  constructor(
    private readonly deps: PlatformDeps,
    private readonly endpoint: TumblrEndpoint,
    creds: OAuth2,
    private readonly save: ((creds: TumblrCredentials) => Promise<void>) | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.#creds = creds;
  }

  get credentials(): TumblrCredentials {
    return this.#creds;
  }

  userInfo(signal: AbortSignal): Promise<UserInfo> {
    return this.#request(site('GET', routes.userInfo), routes.userInfo, signal);
  }

  posts(blog: string, page: { limit: number; offset: number }, signal: AbortSignal): Promise<{ posts?: ListedPost[] }> {
    const query = new URLSearchParams({ limit: String(page.limit), offset: String(page.offset) });
    return this.#request(site('GET', routes.posts), `/v2/blog/${encodeURIComponent(blog)}/posts?${query}`, signal);
  }

  /** JSON for a text post; multipart (the JSON part first, then one part per identifier) with uploads. */
  createPost(blog: string, post: NewPost, uploads: Upload[], signal: AbortSignal) {
    let body: { json?: unknown; form?: FormData } = { json: post };
    if (uploads.length > 0) {
      const form = new FormData();
      form.append('json', new Blob([JSON.stringify(post)], { type: 'application/json' }));
      for (const u of uploads) {
        const ext = u.mimeType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
        form.append(u.identifier, new Blob([u.bytes], { type: u.mimeType }), `${u.identifier}.${ext}`);
      }
      body = { form };
    }
    return this.#request<{ id?: string | number; id_string?: string }>(
      site('POST', routes.posts),
      `/v2/blog/${encodeURIComponent(blog)}/posts`,
      signal,
      body,
    );
  }

  deletePost(blog: string, id: string, signal: AbortSignal): Promise<unknown> {
    const path = `/v2/blog/${encodeURIComponent(blog)}/post/delete`;
    return this.#request(site('POST', routes.deletePost), path, signal, { json: { id } });
  }

  /** `path` may carry a query; `json` is sent as JSON, `form` as multipart. Returns the `response` field. */
  async #request<T>(
    at: CallSite,
    path: string,
    signal: AbortSignal,
    body: { json?: unknown; form?: FormData } = {},
  ): Promise<T> {
    const c = this.#creds;
    if (c.expiresAt !== undefined && c.expiresAt - refreshMarginMs <= this.clock()) await this.refresh(signal);
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
    const headers: Record<string, string> = {
      'user-agent': this.endpoint.userAgent,
      accept: 'application/json',
      authorization: `Bearer ${this.#creds.accessToken}`,
    };
    let payload: RequestInit['body'] | undefined;
    if (body.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body.form) {
      payload = body.form; // fetch sets the multipart content type with its boundary
    }
    return call(this.deps, at, `${this.endpoint.apiUrl}${path}`, { headers, body: payload, signal });
  }

  #canRefresh(): boolean {
    const c = this.#creds;
    return !!c.refreshToken && !!c.clientId && !!c.clientSecret;
  }

  /** Whether the token expires before `at` and can be refreshed (with a refresh token). */
  refreshableBefore(at: number): boolean {
    const c = this.#creds;
    return this.#canRefresh() && c.expiresAt !== undefined && c.expiresAt <= at;
  }

  /** `POST /v2/oauth2/token` with the refresh token grant; Tumblr answers a new access and refresh token. */
  async refresh(signal: AbortSignal): Promise<void> {
    const c = this.#creds;
    const at = site('POST', routes.token);
    if (!this.#canRefresh()) {
      throw new PlatformError(
        'auth',
        'The Tumblr access token expired and cannot be refreshed; reconnect the account.',
        { platform: 'tumblr', route: at.route },
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
