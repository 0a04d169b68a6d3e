import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RequestParams } from './fake-mastodon-params.js';

type Send = (status: number, payload: unknown) => void;

export interface FakeMastodonApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string;
}

/**
 * The OAuth side of FakeMastodonServer, as documented (docs.joinmastodon.org/methods/apps,
 * /methods/oauth): app registration (`client_name` and `redirect_uris` required, JSON or form),
 * the authorize step (the "user" approves at once, or refuses with `denyNext`) redirecting back
 * with a code, and the token exchange checking client, redirect URI and the PKCE S256 verifier.
 * The token issued is the server's one valid token.
 */
export class FakeMastodonOAuth {
  readonly apps: FakeMastodonApp[] = [];
  denyNext = false;
  readonly #codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; used: boolean }>();

  constructor(private readonly token: () => string) {}

  /** Handles `route` if it is an OAuth one; false otherwise. */
  handle(route: string, url: URL, params: RequestParams, send: Send, res: ServerResponse): boolean {
    if (route === 'POST /api/v1/apps') {
      const name = params.get('client_name');
      const redirect = params.get('redirect_uris') ?? params.list('redirect_uris')[0];
      if (!name) send(422, { error: "Validation failed: Application name can't be blank" });
      else if (!redirect) send(422, { error: "Validation failed: Redirect URI can't be blank" });
      else {
        const n = this.apps.length + 1;
        const app = {
          clientId: `client-${n}`,
          clientSecret: `client-secret-${n}`,
          redirectUri: redirect,
          scopes: params.get('scopes') ?? 'read',
        };
        this.apps.push(app);
        send(200, {
          id: String(n),
          name,
          website: params.get('website') ?? null,
          scopes: app.scopes.split(' '),
          redirect_uri: app.redirectUri,
          redirect_uris: [app.redirectUri],
          client_id: app.clientId,
          client_secret: app.clientSecret,
        });
      }
      return true;
    }
    if (route === 'GET /oauth/authorize') {
      this.#authorize(url.searchParams, send, res);
      return true;
    }
    if (route === 'POST /oauth/token') {
      this.#token(params, send);
      return true;
    }
    return false;
  }

  #authorize(q: URLSearchParams, send: Send, res: ServerResponse): void {
    const app = this.apps.find((a) => a.clientId === q.get('client_id'));
    if (!app || app.redirectUri !== q.get('redirect_uri')) {
      send(400, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client.' });
      return;
    }
    const back = new URL(app.redirectUri);
    back.searchParams.set('state', q.get('state') ?? '');
    if (this.denyNext || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
      this.denyNext = false;
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The resource owner or authorization server denied the request.');
    } else {
      const code = `code-${this.#codes.size + 1}`;
      this.#codes.set(code, {
        clientId: app.clientId,
        redirectUri: app.redirectUri,
        challenge: q.get('code_challenge') ?? '',
        used: false,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  #token(params: RequestParams, send: Send): void {
    const grant = this.#codes.get(params.get('code') ?? '');
    const app = this.apps.find((a) => a.clientId === params.get('client_id'));
    const challenge = createHash('sha256')
      .update(params.get('code_verifier') ?? '')
      .digest('base64url');
    const bad = (why: string) => send(400, { error: 'invalid_grant', error_description: why });
    if (params.get('grant_type') !== 'authorization_code') {
      send(400, {
        error: 'unsupported_grant_type',
        error_description: 'The authorization grant type is not supported.',
      });
    } else if (!app || app.clientSecret !== params.get('client_secret')) {
      send(401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client.' });
    } else if (!grant || grant.used || grant.clientId !== app.clientId) {
      bad('The provided authorization grant is invalid, expired, revoked or was issued to another client.');
    } else if (grant.redirectUri !== params.get('redirect_uri')) bad('The redirect URI does not match.');
    else if (grant.challenge !== challenge) bad('The code verifier does not match.');
    else {
      grant.used = true;
      send(200, { access_token: this.token(), token_type: 'Bearer', scope: app.scopes, created_at: 1 });
    }
  }
}
