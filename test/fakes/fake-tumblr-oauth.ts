import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeTumblrKeys {
  /** The one OAuth 1.0a app and user token the server accepts. */
  oauth1: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  /** The OAuth 2 app and the first access/refresh token pair. */
  oauth2: { clientId: string; clientSecret: string; accessToken: string; refreshToken: string };
}

type Send = (status: number, payload: unknown) => void;

/**
 * FakeTumblrServer's authorization, as Tumblr documents it (api.md, "Authentication"): requests
 * signed with OAuth 1.0a HMAC-SHA1 (the signature is recomputed here, independently of the
 * `oauth` package tumblr.js signs with; a nonce is accepted once) or carrying an OAuth 2 bearer
 * token; the OAuth 2 authorize page and token endpoint (authorization code and refresh grants).
 */
export class FakeTumblrOAuth {
  /** The next authorization is refused by the "user" (error=access_denied). */
  denyNext = false;
  refreshes = 0;
  accessToken: string;
  refreshToken: string;
  readonly #codes = new Map<string, { redirectUri: string; scope: string; used: boolean }>();
  readonly #nonces = new Set<string>();

  constructor(private readonly keys: FakeTumblrKeys) {
    this.accessToken = keys.oauth2.accessToken;
    this.refreshToken = keys.oauth2.refreshToken;
  }

  /** OAuth 1.0a or an OAuth 2 bearer token; null when neither is valid. `origin` is `https://host:port`. */
  authenticate(req: IncomingMessage, url: URL, body: Buffer, origin: string): 'oauth1' | 'oauth2' | null {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) return header.slice(7) === this.accessToken ? 'oauth2' : null;
    if (!header.startsWith('OAuth ')) return null;
    const params = new Map<string, string>();
    for (const m of header.slice(6).matchAll(/([\w-]+)="([^"]*)"/g)) params.set(m[1]!, decodeURIComponent(m[2]!));
    const keys = this.keys.oauth1;
    const signature = params.get('oauth_signature');
    const nonce = params.get('oauth_nonce') ?? '';
    if (
      !signature ||
      params.get('oauth_signature_method') !== 'HMAC-SHA1' ||
      params.get('oauth_consumer_key') !== keys.consumerKey ||
      params.get('oauth_token') !== keys.token ||
      !nonce ||
      this.#nonces.has(nonce)
    ) {
      return null;
    }
    const signed: [string, string][] = [...params].filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
    signed.push(...url.searchParams.entries());
    if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      signed.push(...new URLSearchParams(body.toString('utf8')).entries());
    }
    const enc = (s: string) =>
      encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    // RFC 5849 §3.4.1.3.2: sort by encoded name, then by encoded value.
    const normalized = signed
      .map(([k, v]) => [enc(k), enc(v)] as const)
      .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const base = `${req.method}&${enc(`${origin}${url.pathname}`)}&${enc(normalized)}`;
    const expected = createHmac('sha1', `${enc(keys.consumerSecret)}&${enc(keys.tokenSecret)}`)
      .update(base)
      .digest();
    const given = Buffer.from(signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    this.#nonces.add(nonce);
    return 'oauth1';
  }

  /** The authorize page: approves at once (a single-use code) or refuses, and sends the browser back. */
  authorize(url: URL, res: ServerResponse, send: Send): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== this.keys.oauth2.clientId || q.get('response_type') !== 'code' || !redirectUri) {
      send(400, { error: 'invalid_request', error_description: 'Unknown client or bad request.' });
      return;
    }
    const back = new URL(redirectUri);
    back.searchParams.set('state', q.get('state') ?? '');
    if (this.denyNext) {
      this.denyNext = false;
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user denied the request.');
    } else {
      const code = `tumblr-code-${this.#codes.size + 1}`;
      this.#codes.set(code, { redirectUri, scope: q.get('scope') ?? 'basic', used: false });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  /**
   * The token endpoint. Authorization code grant: the client's key and secret, a code used once,
   * the redirect URI it was issued for; a refresh token only with `offline_access`. Refresh
   * grant: a new access and refresh token; the old refresh token stops working.
   */
  token(body: Buffer, send: Send): void {
    const form = new URLSearchParams(body.toString('utf8'));
    const { clientId, clientSecret, accessToken, refreshToken } = this.keys.oauth2;
    if (form.get('grant_type') === 'authorization_code') {
      const grant = this.#codes.get(form.get('code') ?? '');
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        send(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
        return;
      }
      if (!grant || grant.used || grant.redirectUri !== form.get('redirect_uri')) {
        send(400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
        return;
      }
      grant.used = true;
      send(200, {
        access_token: this.accessToken,
        expires_in: 2520,
        id_token: false,
        ...(grant.scope.split(' ').includes('offline_access') ? { refresh_token: this.refreshToken } : {}),
        scope: grant.scope,
        token_type: 'bearer',
      });
      return;
    }
    if (
      form.get('grant_type') !== 'refresh_token' ||
      form.get('client_id') !== clientId ||
      form.get('client_secret') !== clientSecret ||
      form.get('refresh_token') !== this.refreshToken
    ) {
      send(401, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
      return;
    }
    this.refreshes++;
    this.accessToken = `${accessToken}-r${this.refreshes}`;
    this.refreshToken = `${refreshToken}-r${this.refreshes}`;
    send(200, {
      access_token: this.accessToken,
      expires_in: 2520,
      id_token: false,
      refresh_token: this.refreshToken,
      scope: 'basic write offline_access',
      token_type: 'bearer',
    });
  }
}
