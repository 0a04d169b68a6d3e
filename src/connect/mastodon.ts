import { createHash, randomBytes } from 'node:crypto';
import { checkCallbackUrl } from '../net/callback-url.js';
import type { Clock } from '../core/clock.js';
import type { ConnectState } from '../core/connect.js';
import { HayonError } from '../core/errors.js';
import type { ConnectStore } from '../store/ports/connect-store.js';
import type { CredentialBox } from '../crypto/credential-box.js';
import { escapeHtml, hiddenState } from './pages.js';
import type { ConnectContext, ConnectFinish, ConnectProvider, ConnectStart } from './provider.js';

/** Only what posting needs: the account's identity, statuses and media. */
export const mastodonScopes = 'read:accounts write:statuses write:media';

export interface MastodonConnectDeps {
  /** The OAuth clients hayon registered with each instance. */
  store: ConnectStore;
  box: CredentialBox;
  clock: Clock;
  fetch: typeof fetch;
  publicUrl: string;
  /** Private hosts an instance may be on (`HAYON_FETCH_ALLOW_HOSTS`). */
  allowHosts: readonly string[];
  timeoutMs: number;
}

const invalid = (field: string, message: string) =>
  new HayonError('invalid_request', message, { field, userMessage: message });

/** `mastodon.social`, `https://mastodon.social/` → `https://mastodon.social`. */
export function instanceOrigin(input: string): string {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw invalid('instance', `"${raw}" is not a Mastodon server's address (like mastodon.social).`);
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '')) {
    throw invalid('instance', `Give the Mastodon server's address only (like mastodon.social), not "${raw}".`);
  }
  return url.origin;
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Mastodon (any instance, or a server with its API): hayon registers itself as an app on the
 * instance the first time (`POST /api/v1/apps`, kept per instance), then OAuth 2 with PKCE
 * (S256) and the posting scopes only.
 */
export class MastodonConnect implements ConnectProvider {
  readonly platform = 'mastodon' as const;

  constructor(private readonly deps: MastodonConnectDeps) {}

  async start(
    state: ConnectState,
    ctx: ConnectContext,
    query: URLSearchParams,
    keep: (data: Record<string, unknown>) => Promise<void>,
  ): Promise<ConnectStart> {
    const given = query.get('instance') ?? (typeof state.data.instance === 'string' ? state.data.instance : '');
    if (!given) return { kind: 'page', title: 'Connect a Mastodon account', body: this.#askInstance(state, ctx) };
    const instance = instanceOrigin(given);
    await checkCallbackUrl(instance, { allowHosts: this.deps.allowHosts }, 'instance');
    const app = await this.#app(instance, ctx.redirectUri);
    const { verifier, challenge } = pkce();
    await keep({ instance, codeVerifier: verifier });
    const authorize = new URL('/oauth/authorize', instance);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: ctx.redirectUri,
      scope: mastodonScopes,
      state: ctx.token,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return { kind: 'redirect', url: authorize.toString() };
  }

  async finish(state: ConnectState, ctx: ConnectContext, params: URLSearchParams): Promise<ConnectFinish> {
    const instance = typeof state.data.instance === 'string' ? state.data.instance : '';
    const verifier = typeof state.data.codeVerifier === 'string' ? state.data.codeVerifier : '';
    const code = params.get('code');
    if (!instance || !verifier) throw invalid('state', 'This flow never reached Mastodon: start again.');
    if (!code) throw invalid('code', 'Mastodon sent no authorization code: start again.');
    const app = await this.#app(instance, ctx.redirectUri);
    const token = await this.#post(instance, '/oauth/token', {
      grant_type: 'authorization_code',
      code,
      client_id: app.clientId,
      client_secret: this.deps.box.open(`oauth:${app.key}`, app.clientSecret).secret as string,
      redirect_uri: ctx.redirectUri,
      code_verifier: verifier,
      scope: mastodonScopes,
    });
    if (typeof token.access_token !== 'string') throw this.#refused(instance, 'gave no access token');
    return { kind: 'connect', credentials: { instanceUrl: instance, accessToken: token.access_token } };
  }

  /** The app registered on this instance for this redirect URI, registering it the first time. */
  async #app(instance: string, redirectUri: string) {
    const key = `mastodon:${instance}|${redirectUri}`;
    const known = await this.deps.store.getOAuthApp(key);
    if (known) return known;
    const made = await this.#post(instance, '/api/v1/apps', {
      client_name: 'hayon',
      redirect_uris: redirectUri,
      scopes: mastodonScopes,
      website: this.deps.publicUrl,
    });
    if (typeof made.client_id !== 'string' || typeof made.client_secret !== 'string') {
      throw this.#refused(instance, 'did not register hayon as an app');
    }
    return this.deps.store.putOAuthApp({
      key,
      clientId: made.client_id,
      clientSecret: this.deps.box.seal(`oauth:${key}`, { secret: made.client_secret }),
      redirectUri,
      createdAt: this.deps.clock(),
    });
  }

  async #post(instance: string, path: string, form: Record<string, string>): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await this.deps.fetch(new URL(path, instance), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(this.deps.timeoutMs),
        redirect: 'error',
      });
    } catch (e) {
      throw new HayonError('platform_error', 'mastodon unreachable', {
        cause: e,
        userMessage: `Could not reach ${new URL(instance).host}.`,
      });
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      const why = typeof body.error_description === 'string' ? body.error_description : `answered ${res.status}`;
      throw this.#refused(instance, why);
    }
    return body;
  }

  #refused(instance: string, why: string): HayonError {
    const message = `${new URL(instance).host} ${why}.`;
    return new HayonError('invalid_request', message, { field: 'instance', userMessage: message });
  }

  #askInstance(state: ConnectState, ctx: ConnectContext): string {
    const action = `${this.deps.publicUrl}/connect/mastodon/start`;
    return `<form method="get" action="${escapeHtml(action)}">
${hiddenState(ctx.token)}
<input type="hidden" name="workspace" value="${escapeHtml(state.workspaceId)}">
<label for="instance">Your Mastodon server</label>
<input type="text" id="instance" name="instance" placeholder="mastodon.social" required>
<button type="submit">Continue</button></form>`;
  }
}
