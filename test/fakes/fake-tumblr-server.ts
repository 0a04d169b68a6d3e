import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server.js';

export interface FakeTumblrBlog {
  name: string;
  uuid: string;
  url: string;
  primary?: boolean;
}

export interface FakeTumblrOptions {
  userName?: string;
  blogs?: FakeTumblrBlog[];
  /** The one OAuth 1.0a app and user token the server accepts. */
  oauth1?: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  /** The OAuth 2 app and the first access/refresh token pair. */
  oauth2?: { clientId: string; clientSecret: string; accessToken: string; refreshToken: string };
  /** Posts a user may publish per day before 403.8023 (Tumblr: 250). */
  dailyPostLimit?: number;
}

export interface FakeTumblrPost {
  id: string;
  blog: string;
  slug: string;
  state: string;
  content: { type: string; text?: string; alt_text?: string; formatting?: unknown[]; media?: unknown }[];
  /** Uploaded parts by identifier: their type and size. */
  uploads: Record<string, { type: string; size: number }>;
  /** `json` or `multipart`. */
  encoding: string;
  /** `oauth1` or `oauth2`. */
  auth: string;
  timestamp: number;
}

interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Create the post, then drop the connection instead of answering. */
  lostAfterCreate?: boolean;
}

/** Error answers as Tumblr sends them (tumblr/docs api.md: meta, errors with subcodes). */
export const tumblrAnswers = {
  unauthorized: {
    status: 401,
    body: {
      meta: { status: 401, msg: 'Unauthorized' },
      response: [],
      errors: [{ title: 'Unauthorized', code: 1016, detail: 'Unable to authorize' }],
    },
  },
  rateLimited: {
    status: 429,
    headers: {
      'x-ratelimit-perhour-limit': '1000',
      'x-ratelimit-perhour-remaining': '0',
      'x-ratelimit-perhour-reset': '1800',
    },
    body: { meta: { status: 429, msg: 'Limit Exceeded' }, response: [] },
  },
  dailyLimit: {
    status: 403,
    body: {
      meta: { status: 403, msg: 'Forbidden' },
      response: [],
      errors: [{ title: "You've reached your post limit for today. Please come back tomorrow!", code: 8023 }],
    },
  },
  serverError: { status: 500, body: { meta: { status: 500, msg: 'Server Error' }, response: [] } },
  lostAnswer: { status: 201, lostAfterCreate: true },
} as const satisfies Record<string, ScriptedAnswer>;

/**
 * FakeTumblrServer: a local HTTP server that follows Tumblr's documented API for what hayon calls:
 * `GET /v2/user/info`, `POST /v2/blog/{blog}/posts` (NPF as JSON, or multipart with a `json` part
 * and one part per media identifier), `GET /v2/blog/{blog}/posts`, `POST /v2/oauth2/token`
 * (authorization code and refresh grants), and www.tumblr.com's `GET /oauth2/authorize` (the
 * "user" approves at once, or refuses with `denyNext`). Requests must be OAuth 1.0a HMAC-SHA1 signed (the signature is recomputed and
 * compared; nonces may not repeat) or carry an OAuth 2 bearer token. NPF limits are enforced
 * (4,096 code points per text block, 30 image blocks, the daily post limit as 403.8023).
 * Failures are scripted per route with `failNext`.
 */
export class FakeTumblrServer {
  readonly posts: FakeTumblrPost[] = [];
  /** Every request, as `METHOD /path`. */
  readonly requests: string[] = [];
  readonly options: Required<FakeTumblrOptions>;
  /** The next authorization is refused by the "user" (error=access_denied). */
  denyNext = false;
  readonly #codes = new Map<string, { redirectUri: string; scope: string; used: boolean }>();
  readonly #nonces = new Set<string>();
  readonly #local = new LocalServer<ScriptedAnswer>();
  #accessToken: string;
  #refreshToken: string;
  #refreshes = 0;
  #nextId = 7_301_000_000_000_000_001n;
  url = '';

  constructor(options: FakeTumblrOptions = {}) {
    this.options = {
      userName: options.userName ?? 'alice',
      blogs: options.blogs ?? [
        { name: 'fakeblog', uuid: 't:FakeBlogUuid0001', url: 'https://fakeblog.tumblr.com/', primary: true },
        { name: 'sideblog', uuid: 't:SideBlogUuid0002', url: 'https://www.side.example/' },
      ],
      oauth1: options.oauth1 ?? {
        consumerKey: 'fake-consumer-key',
        consumerSecret: 'fake-consumer-secret',
        token: 'fake-user-token',
        tokenSecret: 'fake-user-token-secret',
      },
      oauth2: options.oauth2 ?? {
        clientId: 'fake-consumer-key',
        clientSecret: 'fake-consumer-secret',
        accessToken: 'fake-access-token',
        refreshToken: 'fake-refresh-token',
      },
      dailyPostLimit: options.dailyPostLimit ?? 250,
    };
    this.#accessToken = this.options.oauth2.accessToken;
    this.#refreshToken = this.options.oauth2.refreshToken;
  }

  /** The OAuth 2 access token currently accepted (changes on each refresh). */
  get accessToken(): string {
    return this.#accessToken;
  }

  get refreshes(): number {
    return this.#refreshes;
  }

  /** The user revoked hayon's access: the refresh token is refused from now on. */
  revokeGrant(): void {
    this.#refreshToken = `revoked-${Date.now()}`;
  }

  /** The current access token stops working (Tumblr's tokens live 42 minutes). */
  expireAccessToken(): void {
    this.#accessToken = `${this.#accessToken}-expired-${Date.now()}`;
  }

  async start(): Promise<this> {
    const origin = await this.#local.start(
      (req, res) => this.#handle(req, res),
      (res, e) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(e) }));
      },
    );
    this.url = origin;
    return this;
  }

  stop(): Promise<void> {
    return this.#local.stop();
  }

  /** The next request to `route` (`POST /v2/blog/:blog/posts`) gets this answer instead. */
  failNext(route: string, answer: ScriptedAnswer): this {
    this.#local.script(route, answer);
    return this;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const route = `${req.method} ${url.pathname.replace(/^\/v2\/blog\/[^/]+/, '/v2/blog/:blog')}`;
    this.requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
    };
    const fail = (status: number, msg: string, errors?: { title: string; code: number }[]): void =>
      send(status, { meta: { status, msg }, response: [], ...(errors ? { errors } : {}) });

    if (route === 'GET /oauth2/authorize') return this.#authorize(url, res, send);
    const scripted = this.#local.scripted(route);
    if (route === 'POST /v2/oauth2/token' && !scripted) return this.#token(body, send);
    if (scripted && !scripted.lostAfterCreate) {
      return send(scripted.status, scripted.body ?? { meta: { status: scripted.status } }, scripted.headers);
    }
    if (!req.headers['user-agent']) return fail(400, 'Bad Request', [{ title: 'User-Agent is required', code: 0 }]);
    const auth = this.#authenticate(req, url, body);
    if (!auth) return send(tumblrAnswers.unauthorized.status, tumblrAnswers.unauthorized.body);

    if (route === 'GET /v2/user/info') {
      return send(200, {
        meta: { status: 200, msg: 'OK' },
        response: {
          user: {
            name: this.options.userName,
            following: 3,
            default_post_format: 'html',
            likes: 0,
            blogs: this.options.blogs.map((b) => ({ ...b, title: b.name, primary: !!b.primary, type: 'public' })),
          },
        },
      });
    }
    const blogId = decodeURIComponent(url.pathname.split('/')[3] ?? '');
    const blog = this.options.blogs.find((b) =>
      [b.name, `${b.name}.tumblr.com`, b.uuid, new URL(b.url).hostname].includes(blogId),
    );
    if (route === 'GET /v2/blog/:blog/posts') {
      if (!blog) return fail(404, 'Not Found');
      const limit = Math.min(20, Number(url.searchParams.get('limit') ?? 20));
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const mine = this.posts.filter((p) => p.blog === blog.name);
      return send(200, {
        meta: { status: 200, msg: 'OK' },
        response: {
          blog: { name: blog.name, uuid: blog.uuid, url: blog.url, total_posts: mine.length },
          posts: mine.slice(offset, offset + limit).map((p) => listed(p)),
          total_posts: mine.length,
        },
      });
    }
    if (route === 'POST /v2/blog/:blog/posts') {
      if (!blog) return fail(404, 'Not Found');
      const parsed = await parsePost(req, url, body);
      if ('error' in parsed) return fail(400, 'Bad Request', [{ title: parsed.error, code: parsed.code }]);
      const today = this.posts.filter((p) => Date.now() - p.timestamp * 1000 < 86_400_000).length;
      if (today >= this.options.dailyPostLimit)
        return send(tumblrAnswers.dailyLimit.status, tumblrAnswers.dailyLimit.body);
      const id = String(this.#nextId++);
      this.posts.unshift({
        id,
        blog: blog.name,
        slug: normalizeSlug(parsed.slug ?? parsed.content.find((b) => b.text)?.text ?? ''),
        state: parsed.state ?? 'published',
        content: parsed.content,
        uploads: parsed.uploads,
        encoding: parsed.encoding,
        auth,
        timestamp: Math.floor(Date.now() / 1000),
      });
      if (scripted?.lostAfterCreate) {
        req.socket.destroy();
        return;
      }
      return send(201, { meta: { status: 201, msg: 'Created' }, response: { id, state: 'published' } });
    }
    fail(404, 'Not Found');
  }

  /** OAuth 1.0a (HMAC-SHA1, signature recomputed) or an OAuth 2 bearer token; null when neither is valid. */
  #authenticate(req: IncomingMessage, url: URL, body: Buffer): 'oauth1' | 'oauth2' | null {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) return header.slice(7) === this.#accessToken ? 'oauth2' : null;
    if (!header.startsWith('OAuth ')) return null;
    const params = new Map<string, string>();
    for (const m of header.slice(6).matchAll(/([\w-]+)="([^"]*)"/g)) params.set(m[1]!, decodeURIComponent(m[2]!));
    const keys = this.options.oauth1;
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
    const base = `${req.method}&${enc(`http://${req.headers.host}${url.pathname}`)}&${enc(normalized)}`;
    const expected = createHmac('sha1', `${enc(keys.consumerSecret)}&${enc(keys.tokenSecret)}`)
      .update(base)
      .digest();
    const given = Buffer.from(signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    this.#nonces.add(nonce);
    return 'oauth1';
  }

  /** The authorize page: approves at once (a single-use code) or refuses, and sends the browser back. */
  #authorize(url: URL, res: ServerResponse, send: (status: number, payload: unknown) => void): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== this.options.oauth2.clientId || q.get('response_type') !== 'code' || !redirectUri) {
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
  #token(body: Buffer, send: (status: number, payload: unknown) => void): void {
    const form = new URLSearchParams(body.toString('utf8'));
    const { clientId, clientSecret } = this.options.oauth2;
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
        access_token: this.#accessToken,
        expires_in: 2520,
        id_token: false,
        ...(grant.scope.split(' ').includes('offline_access') ? { refresh_token: this.#refreshToken } : {}),
        scope: grant.scope,
        token_type: 'bearer',
      });
      return;
    }
    if (
      form.get('grant_type') !== 'refresh_token' ||
      form.get('client_id') !== clientId ||
      form.get('client_secret') !== clientSecret ||
      form.get('refresh_token') !== this.#refreshToken
    ) {
      send(401, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
      return;
    }
    this.#refreshes++;
    this.#accessToken = `${this.options.oauth2.accessToken}-r${this.#refreshes}`;
    this.#refreshToken = `${this.options.oauth2.refreshToken}-r${this.#refreshes}`;
    send(200, {
      access_token: this.#accessToken,
      expires_in: 2520,
      id_token: false,
      refresh_token: this.#refreshToken,
      scope: 'basic write offline_access',
      token_type: 'bearer',
    });
  }
}

type ParsedPost =
  | {
      content: FakeTumblrPost['content'];
      slug?: string;
      state?: string;
      uploads: FakeTumblrPost['uploads'];
      encoding: string;
    }
  | { error: string; code: number };

/** Reads an NPF create request (JSON or multipart) and checks it against NPF's limits. */
async function parsePost(req: IncomingMessage, url: URL, body: Buffer): Promise<ParsedPost> {
  const type = req.headers['content-type'] ?? '';
  let json: Record<string, unknown>;
  const uploads: FakeTumblrPost['uploads'] = {};
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request(url, { method: 'POST', headers: { 'content-type': type }, body }).formData();
    const part = form.get('json');
    if (part === null) return { error: "the 'json' part is missing", code: 8001 };
    json = JSON.parse(typeof part === 'string' ? part : await part.text());
    for (const [name, value] of form.entries()) {
      if (name !== 'json' && value instanceof Blob) uploads[name] = { type: value.type, size: value.size };
    }
  } else if (type.startsWith('application/json')) {
    json = JSON.parse(body.toString('utf8') || '{}');
  } else {
    return { error: 'unsupported content type', code: 8001 };
  }
  const content = json.content;
  if (!Array.isArray(content)) return { error: "'content' must be an array'", code: 8001 };
  const blocks = content as FakeTumblrPost['content'];
  for (const b of blocks) {
    if (b.type === 'text' && [...(b.text ?? '')].length > 4096) {
      return { error: 'text blocks may be at most 4096 characters', code: 8001 };
    }
    if (b.type === 'image' || b.type === 'video') {
      const media = (Array.isArray(b.media) ? b.media[0] : b.media) as { identifier?: string; type?: string };
      const upload = media?.identifier ? uploads[media.identifier] : undefined;
      if (!upload) return { error: `no upload for media identifier ${media?.identifier}`, code: 8001 };
      if (!upload.type.startsWith(`${b.type}/`)) return { error: 'invalid media format', code: 8005 };
    }
  }
  if (blocks.filter((b) => b.type === 'image').length > 30) return { error: 'too many image blocks', code: 8001 };
  return {
    content: blocks,
    uploads,
    encoding: type.startsWith('multipart') ? 'multipart' : 'json',
    ...(typeof json.slug === 'string' ? { slug: json.slug } : {}),
    ...(typeof json.state === 'string' ? { state: json.state } : {}),
  };
}

/** A post as `/posts` lists it; `id` as a JSON number loses precision, as Tumblr's 64-bit ids do in JS. */
function listed(p: FakeTumblrPost): Record<string, unknown> {
  return {
    type: 'text',
    blog_name: p.blog,
    id: Number(p.id),
    id_string: p.id,
    post_url: `https://${p.blog}.tumblr.com/post/${p.id}/${p.slug}`,
    slug: p.slug,
    timestamp: p.timestamp,
    state: p.state,
    tags: [],
    is_blocks_post_format: true,
  };
}

/** Tumblr lowercases a slug and turns anything else than letters and digits into hyphens. */
function normalizeSlug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
