import type { ConnectState } from '../core/connect.js';
import { HayonError } from '../core/errors.js';
import type {
  ConnectContext,
  ConnectFinish,
  ConnectOption,
  ConnectProvider,
  ConnectStart,
  OAuthAppDeps,
} from './provider.js';

/** Posting, plus a refresh token: Tumblr's access tokens live 42 minutes. */
export const tumblrScopes = 'basic write offline_access';

export type TumblrConnectDeps = OAuthAppDeps;

/** What a token or API answer holds that is worth showing: Tumblr's own words, never a token. */
export function tumblrReason(body: Record<string, unknown>, status: number): string {
  const meta = body.meta as { msg?: unknown } | undefined;
  const errors = Array.isArray(body.errors) ? (body.errors as { detail?: unknown; title?: unknown }[]) : [];
  const said = [body.error_description, body.error, errors[0]?.detail, errors[0]?.title, meta?.msg].find(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return said ?? `answered ${status}`;
}

/** One option per blog of the account (`/v2/user/info`), each with the same tokens. */
export function blogOptions(info: Record<string, unknown>, tokens: Record<string, unknown>): ConnectOption[] {
  const user = (info.response as { user?: { blogs?: unknown } } | undefined)?.user;
  const blogs = Array.isArray(user?.blogs) ? (user.blogs as Record<string, unknown>[]) : [];
  return blogs
    .filter((b): b is Record<string, unknown> & { name: string } => typeof b.name === 'string' && b.name !== '')
    .map((b) => {
      const host = typeof b.url === 'string' ? hostOf(b.url) : undefined;
      const title =
        typeof b.title === 'string' && b.title && b.title.toLowerCase() !== b.name.toLowerCase() ? ` "${b.title}"` : '';
      return {
        id: b.name,
        label: `${b.name}${title}${host ? ` (${host})` : ''}`,
        credentials: { blog: b.name, ...tokens },
      };
    });
}

/**
 * Tumblr with OAuth 2 (tumblr.com/docs/en/api/v2#oauth2-authorization): the authorize page at
 * `www.tumblr.com/oauth2/authorize`, the code exchanged at `api.tumblr.com/v2/oauth2/token`
 * (no PKCE: Tumblr does not document it), then `/v2/user/info` lists the blogs: one to pick
 * from per blog. Apps on OAuth 1.0a keep `hayon accounts add tumblr --credentials-file`.
 */
export class TumblrConnect implements ConnectProvider {
  readonly platform = 'tumblr' as const;

  constructor(private readonly deps: TumblrConnectDeps) {}

  async start(_state: ConnectState, ctx: ConnectContext): Promise<ConnectStart> {
    const query = new URLSearchParams({
      client_id: this.deps.clientId,
      response_type: 'code',
      scope: tumblrScopes,
      state: ctx.token,
      redirect_uri: ctx.redirectUri,
    });
    return { kind: 'redirect', url: `${this.deps.oauthUrl}/oauth2/authorize?${query}` };
  }

  async finish(_state: ConnectState, ctx: ConnectContext, params: URLSearchParams): Promise<ConnectFinish> {
    const code = params.get('code');
    if (!code) throw refused('code', 'Tumblr sent no authorization code: start again.');
    const token = await this.#call('/v2/oauth2/token', {
      form: {
        grant_type: 'authorization_code',
        code,
        client_id: this.deps.clientId,
        client_secret: this.deps.clientSecret,
        redirect_uri: ctx.redirectUri,
      },
    });
    if (typeof token.access_token !== 'string' || !token.access_token) {
      throw refused('code', 'Tumblr gave no access token: start again.');
    }
    // The adapter refreshes the token itself (credentials.ts): it needs the refresh token and the
    // app's key and secret in the account's (sealed) credentials.
    const tokens = {
      accessToken: token.access_token,
      ...(typeof token.refresh_token === 'string' && token.refresh_token ? { refreshToken: token.refresh_token } : {}),
      ...(typeof token.expires_in === 'number' ? { expiresAt: this.deps.clock() + token.expires_in * 1000 } : {}),
      clientId: this.deps.clientId,
      clientSecret: this.deps.clientSecret,
    };
    const options = blogOptions(await this.#call('/v2/user/info', { bearer: token.access_token }), tokens);
    if (options.length === 0) throw refused('blog', 'This Tumblr account has no blog to post to.');
    return { kind: 'choose', options };
  }

  async #call(
    path: string,
    how: { form: Record<string, string> } | { bearer: string },
  ): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'hayon/1 (tumblr connect)' };
    let body: URLSearchParams | undefined;
    if ('form' in how) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(how.form);
    } else headers.authorization = `Bearer ${how.bearer}`;
    let res: Response;
    try {
      res = await this.deps.fetch(`${this.deps.apiUrl}${path}`, {
        method: body ? 'POST' : 'GET',
        headers,
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(this.deps.timeoutMs),
        redirect: 'error',
      });
    } catch (e) {
      throw new HayonError('platform_error', 'tumblr unreachable', {
        cause: e,
        userMessage: 'Could not reach Tumblr.',
      });
    }
    const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok) return answer;
    const message = `Tumblr refused: ${tumblrReason(answer, res.status)}.`;
    if (res.status >= 500) throw new HayonError('platform_error', message, { userMessage: message });
    throw refused('code', message);
  }
}

/** `URL.parse` is Node 22+; hayon runs on 20. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function refused(field: string, message: string): HayonError {
  return new HayonError('invalid_request', message, { field, userMessage: message });
}
