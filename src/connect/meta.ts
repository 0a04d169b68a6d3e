import type { ConnectState } from '../core/connect.js';
import { HayonError } from '../core/errors.js';
import { defaultApiUrl as facebookGraphUrl } from '../platforms/facebook/credentials.js';
import { defaultThreadsApiUrl } from '../platforms/threads/credentials.js';
import type {
  ConnectContext,
  ConnectFinish,
  ConnectOption,
  ConnectProvider,
  ConnectStart,
  OAuthAppDeps,
} from './provider.js';

/** Listing the Pages and posting on them. */
export const facebookScopes = 'pages_show_list,pages_manage_posts,pages_read_engagement';
/** Publishing to the Instagram account of a Page, found through the Page. */
export const instagramScopes = 'instagram_basic,instagram_content_publish,pages_show_list,pages_read_engagement';
/** `threads_manage_replies` too: hayon publishes a long text as a chain of replies (`thread: "auto"`). */
export const threadsScopes = 'threads_basic,threads_content_publish,threads_manage_replies';

export type MetaConnectDeps = OAuthAppDeps;

type Answer = Record<string, unknown>;

/** What Meta said: the Graph error envelope's message, or an OAuth redirect's description. */
export function metaReason(body: Answer, status: number): string {
  const error = body.error as { message?: unknown } | string | undefined;
  const said = [typeof error === 'object' ? error?.message : error, body.error_message, body.error_description].find(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return said ?? `answered ${status}`;
}

/**
 * A numeric id field of a JSON text, as a string. Threads answers the code exchange with
 * `user_id` as a JSON number, and its ids (17 digits) are past what a JavaScript number holds
 * exactly, so it is read from the text rather than from `JSON.parse`.
 */
export function jsonId(text: string, field: string): string | undefined {
  return new RegExp(`"${field}"\\s*:\\s*"?(\\d+)"?`).exec(text)?.[1];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function refused(field: string, message: string): HayonError {
  return new HayonError('invalid_request', message, { field, userMessage: message });
}

/** One call: the answer, or a HayonError with Meta's words (400 when refused, 502 when Meta fails). */
async function graphCall(
  deps: MetaConnectDeps,
  name: 'Facebook' | 'Threads',
  url: string,
  form?: Record<string, string>,
): Promise<{ body: Answer; text: string }> {
  let res: Response;
  try {
    res = await deps.fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: { accept: 'application/json', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form) } : {}),
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'error',
    });
  } catch (e) {
    throw new HayonError('platform_error', `${name} unreachable`, {
      cause: e,
      userMessage: `Could not reach ${name}.`,
    });
  }
  const text = await res.text().catch(() => '');
  let body: Answer = {};
  try {
    body = JSON.parse(text) as Answer;
  } catch {
    // Not JSON: the status says enough.
  }
  if (res.ok) return { body, text };
  const message = `${name} refused: ${metaReason(body, res.status)}`;
  if (res.status >= 500) throw new HayonError('platform_error', message, { userMessage: message });
  throw refused('code', message);
}

/** The account's `apiUrl` only when the deployment points the Graph API elsewhere (a fake in tests). */
const pinned = (apiUrl: string, standard: string) => (apiUrl === standard ? {} : { apiUrl });

export interface FacebookPage {
  id: string;
  name: string;
  /** Made from a long-lived user token, a Page token does not expire. */
  accessToken: string;
  /** What the person may do on the Page (`CREATE_CONTENT`); undefined when Meta does not say. */
  tasks: string[] | undefined;
}

/**
 * Facebook Login as Pages and Instagram use it: the OAuth dialog, the code exchanged for a
 * short-lived user token, that for a long-lived one (`fb_exchange_token`, 60 days), and
 * `/me/accounts`: the Pages the person manages, each with its Page token.
 */
export class FacebookLogin {
  constructor(readonly deps: MetaConnectDeps) {}

  dialog(scopes: string, ctx: ConnectContext): ConnectStart {
    const version = new URL(this.deps.apiUrl).pathname.replace(/\/+$/, '');
    const query = new URLSearchParams({
      client_id: this.deps.clientId,
      redirect_uri: ctx.redirectUri,
      state: ctx.token,
      scope: scopes,
      response_type: 'code',
    });
    return { kind: 'redirect', url: `${this.deps.oauthUrl}${version}/dialog/oauth?${query}` };
  }

  async pages(ctx: ConnectContext, params: URLSearchParams): Promise<{ userToken: string; pages: FacebookPage[] }> {
    const code = params.get('code');
    if (!code) throw refused('code', 'Facebook sent no authorization code: start again.');
    const app = { client_id: this.deps.clientId, client_secret: this.deps.clientSecret };
    const short = await this.get('/oauth/access_token', { ...app, redirect_uri: ctx.redirectUri, code });
    const shortToken = str(short.access_token);
    if (!shortToken) throw refused('code', 'Facebook gave no access token: start again.');
    const long = await this.get('/oauth/access_token', {
      ...app,
      grant_type: 'fb_exchange_token',
      fb_exchange_token: shortToken,
    });
    const userToken = str(long.access_token);
    if (!userToken) throw refused('code', 'Facebook gave no long-lived access token: start again.');
    const listed = await this.get('/me/accounts', {
      fields: 'id,name,access_token,tasks',
      limit: '100',
      access_token: userToken,
    });
    const rows = Array.isArray(listed.data) ? (listed.data as Answer[]) : [];
    const pages = rows.flatMap((p): FacebookPage[] => {
      const id = str(p.id);
      const accessToken = str(p.access_token);
      if (!id || !accessToken) return [];
      const tasks = Array.isArray(p.tasks) ? p.tasks.filter((t): t is string => typeof t === 'string') : undefined;
      return [{ id, name: str(p.name) ?? id, accessToken, tasks }];
    });
    if (pages.length === 0) {
      throw refused(
        'page',
        'This Facebook login manages no Page, or none was ticked in the dialog: start again and allow at least one Page.',
      );
    }
    return { userToken, pages };
  }

  async get(path: string, query: Record<string, string>): Promise<Answer> {
    return (await graphCall(this.deps, 'Facebook', `${this.deps.apiUrl}${path}?${new URLSearchParams(query)}`)).body;
  }
}

/** Facebook Pages: one option per Page the person may create content on, with its Page token. */
export class FacebookConnect implements ConnectProvider {
  readonly platform = 'facebook' as const;
  readonly #login: FacebookLogin;

  constructor(deps: MetaConnectDeps) {
    this.#login = new FacebookLogin(deps);
  }

  async start(_state: ConnectState, ctx: ConnectContext): Promise<ConnectStart> {
    return this.#login.dialog(facebookScopes, ctx);
  }

  async finish(_state: ConnectState, ctx: ConnectContext, params: URLSearchParams): Promise<ConnectFinish> {
    const { pages } = await this.#login.pages(ctx, params);
    const postable = pages.filter((p) => !p.tasks || p.tasks.includes('CREATE_CONTENT'));
    if (postable.length === 0) {
      const names = pages.map((p) => p.name).join(', ');
      throw refused(
        'page',
        `You may not create content on ${names}: ask the Page's admin for that task, then start again.`,
      );
    }
    const apiUrl = pinned(this.#login.deps.apiUrl, facebookGraphUrl);
    return {
      kind: 'choose',
      options: postable.map((p) => ({
        id: p.id,
        label: `${p.name} (Facebook Page)`,
        credentials: { pageId: p.id, pageAccessToken: p.accessToken, ...apiUrl },
      })),
    };
  }
}

/**
 * Instagram professional accounts through Facebook Login: for each Page, its
 * `instagram_business_account`; one option per Page that has one.
 */
export class InstagramConnect implements ConnectProvider {
  readonly platform = 'instagram' as const;
  readonly #login: FacebookLogin;

  constructor(deps: MetaConnectDeps) {
    this.#login = new FacebookLogin(deps);
  }

  async start(_state: ConnectState, ctx: ConnectContext): Promise<ConnectStart> {
    return this.#login.dialog(instagramScopes, ctx);
  }

  async finish(_state: ConnectState, ctx: ConnectContext, params: URLSearchParams): Promise<ConnectFinish> {
    const { userToken, pages } = await this.#login.pages(ctx, params);
    const apiUrl = pinned(this.#login.deps.apiUrl, facebookGraphUrl);
    const found = await Promise.all(
      pages.map(async (page): Promise<ConnectOption[]> => {
        const node = await this.#login.get(`/${page.id}`, {
          fields: 'instagram_business_account{id,username}',
          access_token: userToken,
        });
        const ig = node.instagram_business_account as Answer | undefined;
        const id = str(ig?.id);
        if (!id) return [];
        const username = str(ig?.username);
        return [
          {
            id,
            label: `${username ? `@${username}` : id} (through the Page ${page.name})`,
            // The Page's token rather than the user's: the user token lasts 60 days, the Page
            // token made from it does not expire, and it carries the same granted permissions.
            credentials: { igUserId: id, accessToken: page.accessToken, ...apiUrl },
          },
        ];
      }),
    );
    const options = [...new Map(found.flat().map((o) => [o.id, o])).values()];
    if (options.length === 0) {
      const names = pages.map((p) => p.name).join(', ');
      throw refused(
        'account',
        `None of your Facebook Pages (${names}) has an Instagram professional account: link one in the Page's settings (Linked accounts), then start again.`,
      );
    }
    return { kind: 'choose', options };
  }
}

/**
 * Threads (developers.facebook.com/docs/threads/get-started): the authorize window, the code
 * exchanged at `graph.threads.net/oauth/access_token` for a short-lived token and the user id,
 * that for a long-lived token (`th_exchange_token`, 60 days); `expiresAt` is kept for refreshing
 * it (`/refresh_access_token`).
 */
export class ThreadsConnect implements ConnectProvider {
  readonly platform = 'threads' as const;

  constructor(private readonly deps: MetaConnectDeps) {}

  async start(_state: ConnectState, ctx: ConnectContext): Promise<ConnectStart> {
    const query = new URLSearchParams({
      client_id: this.deps.clientId,
      redirect_uri: ctx.redirectUri,
      scope: threadsScopes,
      response_type: 'code',
      state: ctx.token,
    });
    return { kind: 'redirect', url: `${this.deps.oauthUrl}/oauth/authorize?${query}` };
  }

  async finish(_state: ConnectState, ctx: ConnectContext, params: URLSearchParams): Promise<ConnectFinish> {
    const code = params.get('code');
    if (!code) throw refused('code', 'Threads sent no authorization code: start again.');
    // The token endpoints are not versioned: they sit at the Graph API's origin.
    const origin = new URL(this.deps.apiUrl).origin;
    const short = await graphCall(this.deps, 'Threads', `${origin}/oauth/access_token`, {
      client_id: this.deps.clientId,
      client_secret: this.deps.clientSecret,
      grant_type: 'authorization_code',
      redirect_uri: ctx.redirectUri,
      code,
    });
    const shortToken = str(short.body.access_token);
    const userId = jsonId(short.text, 'user_id');
    if (!shortToken || !userId) throw refused('code', 'Threads gave no access token: start again.');
    const exchange = new URLSearchParams({
      grant_type: 'th_exchange_token',
      client_secret: this.deps.clientSecret,
      access_token: shortToken,
    });
    const long = (await graphCall(this.deps, 'Threads', `${origin}/access_token?${exchange}`)).body;
    const accessToken = str(long.access_token);
    if (!accessToken) throw refused('code', 'Threads gave no long-lived access token: start again.');
    const expiresIn = typeof long.expires_in === 'number' && long.expires_in > 0 ? long.expires_in : undefined;
    return {
      kind: 'connect',
      credentials: {
        userId,
        accessToken,
        ...(expiresIn ? { expiresAt: this.deps.clock() + expiresIn * 1000 } : {}),
        ...pinned(this.deps.apiUrl, defaultThreadsApiUrl),
      },
    };
  }
}
