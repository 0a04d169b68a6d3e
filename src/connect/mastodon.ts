import { createHash, randomBytes } from 'node:crypto';
import { createOAuthAPIClient, createRestAPIClient, MastoHttpError } from 'masto';
import { checkCallbackUrl } from '../net/callback-url.js';
import type { Clock } from '../core/clock.js';
import type { ConnectState } from '../core/connect.js';
import { deadline } from '../core/deadline.js';
import { HayonError } from '../core/errors.js';
import { redact } from '../platforms/http.js';
import { within } from '../platforms/mastodon/api.js';
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
 * (S256) and the posting scopes only. Both calls go through masto (`v1.apps.create`, the OAuth
 * client's `token.create`), each bounded by `timeoutMs`, redirects refused.
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
    // PKCE's `code_verifier` is not among masto's typed token parameters; masto sends every key given.
    const grant = {
      grantType: 'authorization_code' as const,
      code,
      clientId: app.clientId,
      clientSecret: this.deps.box.open(`oauth:${app.key}`, app.clientSecret).secret as string,
      redirectUri: ctx.redirectUri,
      codeVerifier: verifier,
      scope: mastodonScopes,
    };
    const token = await this.#call(instance, (requestInit) =>
      createOAuthAPIClient({ url: instance, timeout: this.deps.timeoutMs, requestInit, log: 'error' }).token.create(
        grant,
      ),
    );
    if (typeof token.accessToken !== 'string' || token.accessToken === '') {
      throw this.#refused(instance, 'gave no access token');
    }
    return { kind: 'connect', credentials: { instanceUrl: instance, accessToken: token.accessToken } };
  }

  /** The app registered on this instance for this redirect URI, registering it the first time. */
  async #app(instance: string, redirectUri: string) {
    const key = `mastodon:${instance}|${redirectUri}`;
    const known = await this.deps.store.getOAuthApp(key);
    if (known) return known;
    const made = await this.#call(instance, (requestInit) =>
      createRestAPIClient({ url: instance, timeout: this.deps.timeoutMs, requestInit, log: 'error' }).v1.apps.create({
        clientName: 'hayon',
        redirectUris: redirectUri,
        scopes: mastodonScopes,
        website: this.deps.publicUrl,
      }),
    );
    if (typeof made.clientId !== 'string' || typeof made.clientSecret !== 'string') {
      throw this.#refused(instance, 'did not register hayon as an app');
    }
    return this.deps.store.putOAuthApp({
      key,
      clientId: made.clientId,
      clientSecret: this.deps.box.seal(`oauth:${key}`, { secret: made.clientSecret }),
      redirectUri,
      createdAt: this.deps.clock(),
    });
  }

  /**
   * One masto call to the instance, within `timeoutMs` (raced as well as passed to masto: see
   * MastodonApi), redirects refused. An error answer is the instance's refusal, in its words
   * (`error_description`, else `error`); an answer that is not Mastodon's JSON (a web page) means
   * the address is not a Mastodon server; a timeout or a failed connection, one hayon could not reach.
   */
  async #call<T>(instance: string, work: (requestInit: RequestInit) => Promise<T>): Promise<T> {
    const signal = deadline([], this.deps.timeoutMs);
    try {
      return await within(signal, work({ signal, redirect: 'error' }));
    } catch (e) {
      if (e instanceof MastoHttpError) {
        const said = e.description || e.message;
        throw this.#refused(instance, said ? redact(said).replace(/\.+$/, '') : `answered ${e.statusCode}`);
      }
      const reached = !signal.aborted && !(e instanceof TypeError && e.message === 'fetch failed');
      if (reached) throw this.#refused(instance, 'did not answer as a Mastodon server does (is it one?)');
      throw new HayonError('platform_error', 'mastodon unreachable', {
        cause: e,
        userMessage: `Could not reach ${new URL(instance).host}.`,
      });
    }
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
