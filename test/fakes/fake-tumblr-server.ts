import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FakeNpfBlock, normalizeSlug, parseNpfPost, readBody } from './fake-tumblr-npf.js';
import { FakeTumblrOAuth } from './fake-tumblr-oauth.js';
import { LocalServer } from './local-server.js';
import { testTls } from './test-tls.js';

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
  content: FakeNpfBlock[];
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
  /** Drop the connection without doing anything. */
  drop?: boolean;
  /** Never answer (until the server stops). */
  hang?: boolean;
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
  dropped: { status: 0, drop: true },
} as const satisfies Record<string, ScriptedAnswer>;

/**
 * FakeTumblrServer: a local HTTPS server (tumblr.js speaks only HTTPS; the certificate comes from
 * the run's test CA, test/setup/test-ca.ts) that follows Tumblr's documented API for what hayon
 * calls: `GET /v2/user/info`, `GET /v2/user/limits`, `POST /v2/blog/{blog}/posts` (NPF as JSON,
 * or multipart with a `json` part and one part per media identifier; checked as in
 * fake-tumblr-npf.ts), `GET /v2/blog/{blog}/posts`, `POST /v2/blog/{blog}/post/delete`,
 * `POST /v2/oauth2/token` and www.tumblr.com's
 * `GET /oauth2/authorize` (fake-tumblr-oauth.ts: OAuth 1.0a signatures recomputed, OAuth 2 bearer
 * tokens). The daily post limit answers 403.8023. Failures are scripted per route with `failNext`.
 */
export class FakeTumblrServer {
  readonly posts: FakeTumblrPost[] = [];
  /** Every request, as `METHOD /path`. */
  readonly requests: string[] = [];
  readonly options: Required<FakeTumblrOptions>;
  readonly #oauth: FakeTumblrOAuth;
  readonly #local = new LocalServer<ScriptedAnswer>();
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
    this.#oauth = new FakeTumblrOAuth(this.options);
  }

  /** The next authorization is refused by the "user" (error=access_denied). */
  get denyNext(): boolean {
    return this.#oauth.denyNext;
  }

  set denyNext(deny: boolean) {
    this.#oauth.denyNext = deny;
  }

  /** The OAuth 2 access token currently accepted (changes on each refresh). */
  get accessToken(): string {
    return this.#oauth.accessToken;
  }

  get refreshes(): number {
    return this.#oauth.refreshes;
  }

  /** The user revoked hayon's access: the refresh token is refused from now on. */
  revokeGrant(): void {
    this.#oauth.refreshToken = `revoked-${Date.now()}`;
  }

  /** The current access token stops working (Tumblr's tokens live 42 minutes). */
  expireAccessToken(): void {
    this.#oauth.accessToken = `${this.#oauth.accessToken}-expired-${Date.now()}`;
  }

  async start(): Promise<this> {
    const origin = await this.#local.start(
      (req, res) => this.#handle(req, res),
      (res, e) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(e) }));
      },
      testTls(),
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

    if (route === 'GET /oauth2/authorize') return this.#oauth.authorize(url, res, send);
    const scripted = this.#local.scripted(route);
    if (route === 'POST /v2/oauth2/token' && !scripted) return this.#oauth.token(body, send);
    if (scripted?.drop) {
      req.socket.destroy();
      return;
    }
    if (scripted?.hang) return;
    if (scripted && !scripted.lostAfterCreate) {
      return send(scripted.status, scripted.body ?? { meta: { status: scripted.status } }, scripted.headers);
    }
    if (!req.headers['user-agent']) return fail(400, 'Bad Request', [{ title: 'User-Agent is required', code: 0 }]);
    const auth = this.#oauth.authenticate(req, url, body, this.url);
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
    if (route === 'GET /v2/user/limits') {
      const resetAt = Math.floor(Date.now() / 1000) + 3600;
      return send(200, {
        meta: { status: 200, msg: 'OK' },
        response: {
          user: {
            follows: {
              description: 'the number of blogs you can follow per day',
              limit: 200,
              remaining: 200,
              reset_at: resetAt,
            },
            posts: {
              description: 'the number of posts you can publish per day',
              limit: this.options.dailyPostLimit,
              remaining: Math.max(0, this.options.dailyPostLimit - this.#postsToday()),
              reset_at: resetAt,
            },
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
    if (route === 'POST /v2/blog/:blog/post/delete') {
      // The legacy delete: `id` as a form or JSON parameter; 404 for a post the blog does not have.
      if (!blog) return fail(404, 'Not Found');
      const id = deleteIdOf(req, body);
      const at = this.posts.findIndex((p) => p.id === id && p.blog === blog.name);
      if (!id) return fail(400, 'Bad Request', [{ title: 'Missing id', code: 0 }]);
      if (at < 0) return fail(404, 'Not Found');
      this.posts.splice(at, 1);
      return send(200, { meta: { status: 200, msg: 'OK' }, response: { id_string: id } });
    }
    if (route === 'POST /v2/blog/:blog/posts') {
      if (!blog) return fail(404, 'Not Found');
      const parsed = await parseNpfPost(req, url, body);
      if ('error' in parsed) return fail(400, 'Bad Request', [{ title: parsed.error, code: parsed.code }]);
      if (this.#postsToday() >= this.options.dailyPostLimit)
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

  #postsToday(): number {
    return this.posts.filter((p) => Date.now() - p.timestamp * 1000 < 86_400_000).length;
  }
}

/** The `id` of a delete request, from a JSON or a form body. */
function deleteIdOf(req: IncomingMessage, body: Buffer): string | undefined {
  const text = body.toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      const id = (JSON.parse(text) as { id?: unknown }).id;
      return id === undefined ? undefined : String(id);
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(text).get('id') ?? undefined;
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
