import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server.js';

/** Meta's error envelope, as the Graph API answers it. */
export interface GraphErrorEnvelope {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    fbtrace_id: string;
  };
}

/** Builds Meta's error envelope (`{error: {message, type, code, error_subcode, fbtrace_id}}`). */
export function graphErrorEnvelope(
  code: number,
  message: string,
  more: { subcode?: number; type?: string; isTransient?: boolean } = {},
): GraphErrorEnvelope {
  return {
    error: {
      message,
      type: more.type ?? 'OAuthException',
      code,
      ...(more.subcode === undefined ? {} : { error_subcode: more.subcode }),
      ...(more.isTransient === undefined ? {} : { is_transient: more.isTransient }),
      fbtrace_id: 'AfakeTraceId0123',
    },
  };
}

/** A scripted answer: a status with a body (an error envelope by default) and headers. */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  /** Shorthand for `body: {error}` (an envelope without `fbtrace_id`). */
  error?: { message: string; code: number; type?: string; error_subcode?: number; is_transient?: boolean };
  headers?: Record<string, string>;
  /** Do the work for real (publish), then drop the connection instead of answering. */
  lostAfterPublish?: boolean;
  /** Drop the connection without doing anything (a network failure). */
  dropConnection?: boolean;
}

/** The documented error answers tests script with {@link FakeMetaGraphServer.failNext}; reusable by any Graph fake. */
export const metaErrors = {
  expiredToken: (): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(190, 'Error validating access token: Session has expired on Friday, 27-Nov-26.', {
      subcode: 463,
    }),
  }),
  appRateLimit: (): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(4, 'Application request limit reached', { isTransient: true }),
  }),
  userRateLimit: (minutes = 17): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(17, 'User request limit reached'),
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        '42': [
          {
            type: 'instagram',
            call_count: 100,
            total_cputime: 20,
            total_time: 30,
            estimated_time_to_regain_access: minutes,
          },
        ],
      }),
    },
  }),
  tooManyRequests: (retryAfterSeconds = 120): ScriptedAnswer => ({
    status: 429,
    body: graphErrorEnvelope(613, 'Calls to this api have exceeded the rate limit.'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  serverError: (): ScriptedAnswer => ({
    status: 500,
    body: graphErrorEnvelope(2, 'An unexpected error has occurred. Please retry your request later.', {
      isTransient: true,
    }),
  }),
  mediaNotFound: (): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(24, 'The requested resource does not exist', { subcode: 4279009 }),
  }),
  invalidParameter: (message: string): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(100, message),
  }),
  lostAnswer: (): ScriptedAnswer => ({ status: 200, lostAfterPublish: true }),
  dropConnection: (): ScriptedAnswer => ({ status: 0, dropConnection: true }),
};

export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

export interface FakeContainer {
  id: string;
  params: Record<string, string>;
  /** Statuses still to report, one per status read, before `final`. */
  pending: ContainerStatus[];
  final: ContainerStatus;
  /** Answers "media not found" to this many publish tries once FINISHED. */
  notFoundTries: number;
  mediaId?: string;
}

export interface FakeMedia {
  id: string;
  text: string;
  mediaType: string;
  children: string[];
  replyTo: string | null;
  altText: string | null;
  permalink: string;
  timestamp: string;
}

const mediaTypes = new Set(['TEXT', 'IMAGE', 'VIDEO', 'REELS', 'CAROUSEL']);

/** A Facebook Page the fake's Facebook user manages (`/me/accounts`). */
export interface FakePage {
  id: string;
  name: string;
  /** Its Page token. */
  accessToken: string;
  tasks: string[];
  /** The Instagram professional account linked to it. */
  instagram?: { id: string; username: string };
}

const allTasks = ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'];

/**
 * FakeMetaGraphServer: a local HTTP server that follows the Threads (graph.threads.net) and
 * Instagram (graph.facebook.com) container APIs, including their documented error answers.
 *
 * Routes: `GET /me`, `GET /{ig-user-id}` (profile); `POST /{user}/threads|media` (container:
 * TEXT, IMAGE, VIDEO, REELS, CAROUSEL of ready children, `reply_to_id`); `GET /{container}`
 * (`status` and `status_code`, scripted: IN_PROGRESS n times, then FINISHED / ERROR / EXPIRED,
 * PUBLISHED once published); `POST /{user}/threads_publish|media_publish` (once per container,
 * within the quota); `GET /{user}/threads_publishing_limit|content_publishing_limit`;
 * `GET /{user}/threads|media|replies` (newest first, `since`, `limit`); `GET /{media}`
 * (permalink). A wrong token is error 190; scripted answers (429, codes 4/17, 500, a lost
 * answer) come from {@link failNext}. What was published is in `published`, newest first.
 *
 * Logging in, as documented: Facebook Login (`GET /{version}/dialog/oauth` of www.facebook.com,
 * `GET /oauth/access_token` with a code, then `grant_type=fb_exchange_token`, `GET /me/accounts`
 * with Page tokens, a Page's `instagram_business_account`) and Threads (`GET /oauth/authorize` of
 * threads.com, `POST /oauth/access_token` answering `user_id` as a JSON number, `GET
 * /access_token?grant_type=th_exchange_token`). The "user" approves at once or, with `denyNext`,
 * refuses; codes are single use and bound to their app and redirect URI.
 */
export class FakeMetaGraphServer {
  readonly published: FakeMedia[] = [];
  readonly containers = new Map<string, FakeContainer>();
  /** Every request as `METHOD /route` with ids as `{id}`. */
  readonly requests: string[] = [];
  url = '';
  token = 'fake-meta-token';
  /** Long-lived Threads tokens renewed through `GET /refresh_access_token`. */
  refreshes = 0;
  userId = '42';
  username = 'alice';
  /** Posts quota; `usage` grows with each publish. */
  quota = { usage: 0, total: 250, duration: 86_400 };
  /** Replies quota (Threads). */
  replyQuota = { usage: 0, total: 1000, duration: 86_400 };
  /** Statuses every new container reports first (then its final status). */
  nextStatuses: ContainerStatus[] = [];
  /** The final status of the next container made (then back to FINISHED). */
  nextFinal: ContainerStatus = 'FINISHED';
  /** The next container made answers "media not found" (24/4279009) to this many publish tries. */
  nextNotFound = 0;
  /** The apps the OAuth endpoints accept: a Meta app (Facebook Login) and a Threads app. */
  readonly apps = {
    facebook: { id: '1234567890123456', secret: 'fake-meta-app-secret' },
    threads: { id: '990602627938098', secret: 'fake-threads-app-secret' },
  };
  /** The long-lived Facebook user token (what `/me/accounts` takes). */
  userToken = 'fake-fb-user-token';
  /** The Facebook user's Pages: one to post on, one linked to the Instagram account (`userId`). */
  pages: FakePage[] = [
    { id: '104729318412345', name: 'Hayon Bakery', accessToken: 'EAAfakepagetoken', tasks: allTasks },
    {
      id: '104729318400002',
      name: 'Hayon Studio',
      accessToken: this.token,
      tasks: allTasks,
      instagram: { id: this.userId, username: this.username },
    },
  ];
  /** The next authorization (Facebook dialog or Threads window) is refused by the "user". */
  denyNext = false;
  /**
   * A FakeFacebookServer's origin: a Page's edges and posts are answered there, as
   * graph.facebook.com serves logins and Pages alike. Empty: not forwarded.
   */
  pagesApi = '';
  readonly #codes = new Map<string, { app: 'facebook' | 'threads'; redirectUri: string; used: boolean }>();
  readonly #shortTokens = new Set<string>();
  readonly #local = new LocalServer<ScriptedAnswer>();
  #next = 17_000_000;

  async start(): Promise<this> {
    const origin = await this.#local.start(
      (req, res) => this.#handle(req, res),
      (res, e) => {
        this.#json(res, 500, graphErrorEnvelope(1, String(e)));
      },
    );
    this.url = `${origin}/v1.0`;
    return this;
  }

  stop(): Promise<void> {
    return this.#local.stop();
  }

  /** The next request on `route` (`POST /{id}/threads_publish`) gets this answer. */
  failNext(route: string, answer: ScriptedAnswer): this {
    this.#local.script(route, answer);
    return this;
  }

  /** Adds a post published earlier (`ageMs` ago), as if made through the API: it counts in the quota. */
  seedPublished(text: string, ageMs: number, more: Partial<FakeMedia> = {}): FakeMedia {
    const media = this.#record({ text, timestamp: new Date(Date.now() - ageMs).toISOString(), ...more });
    this.published.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
    return media;
  }

  #record(more: Partial<FakeMedia>): FakeMedia {
    const id = more.id ?? String(this.#next++);
    const media: FakeMedia = {
      id,
      text: '',
      mediaType: 'TEXT',
      children: [],
      replyTo: null,
      altText: null,
      permalink: `https://www.threads.net/@${this.username}/post/${id}`,
      timestamp: new Date().toISOString(),
      ...more,
    };
    this.published.unshift(media);
    return media;
  }

  #json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  #invalid(res: ServerResponse, message: string): void {
    this.#json(res, 400, graphErrorEnvelope(100, message));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const form = new URLSearchParams(raw.toString('utf8'));
    const params: Record<string, string> = Object.fromEntries(req.method === 'GET' ? url.searchParams : form);
    const path = url.pathname.replace(/^\/v[\d.]+/, '');
    const route = `${req.method} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    this.requests.push(route);
    const scripted = this.#local.scripted(route);
    if (scripted?.dropConnection) {
      req.socket.destroy();
      return;
    }
    if (scripted && !scripted.lostAfterPublish) {
      return this.#json(
        res,
        scripted.status,
        scripted.body ?? (scripted.error ? { error: scripted.error } : graphErrorEnvelope(1, 'scripted')),
        scripted.headers,
      );
    }
    const [, first = '', second] = path.split('/');
    const forward = this.pagesApi && this.pages.some((p) => first.startsWith(p.id)) && (second || first.includes('_'));
    if (forward) return this.#forward(req, res, raw);
    if (this.#login(req, res, route, first, params)) return;
    if (params.access_token !== this.token) return this.#json(res, 400, metaErrors.expiredToken().body);
    const isUser = first === 'me' || first === this.userId;
    if (req.method === 'GET' && isUser && !second) {
      return this.#json(res, 200, { id: this.userId, username: this.username });
    }
    if (req.method === 'POST' && isUser && (second === 'threads' || second === 'media')) {
      return this.#createContainer(res, params);
    }
    if (req.method === 'POST' && isUser && (second === 'threads_publish' || second === 'media_publish')) {
      return this.#publish(req, res, params, second, Boolean(scripted?.lostAfterPublish));
    }
    if (
      req.method === 'GET' &&
      isUser &&
      (second === 'threads_publishing_limit' || second === 'content_publishing_limit')
    ) {
      const row = {
        quota_usage: this.quota.usage,
        config: { quota_total: this.quota.total, quota_duration: this.quota.duration },
        reply_quota_usage: this.replyQuota.usage,
        reply_config: { quota_total: this.replyQuota.total, quota_duration: this.replyQuota.duration },
      };
      const fields = (params.fields ?? 'quota_usage').split(',');
      return this.#json(res, 200, {
        data: [Object.fromEntries(Object.entries(row).filter(([k]) => fields.includes(k)))],
      });
    }
    if (req.method === 'GET' && isUser && (second === 'threads' || second === 'media' || second === 'replies')) {
      const since = params.since ? Number(params.since) * 1000 : 0;
      const list = this.published
        .filter((m) => (second === 'replies' ? m.replyTo !== null : m.replyTo === null))
        .filter((m) => Date.parse(m.timestamp) >= since)
        .slice(0, Number(params.limit ?? 25));
      return this.#json(res, 200, {
        data: list.map((m) => ({
          id: m.id,
          permalink: m.permalink,
          timestamp: m.timestamp,
          text: m.text,
          caption: m.text,
        })),
      });
    }
    if (req.method === 'GET' && !second) {
      const container = this.containers.get(first);
      if (container) {
        const status = container.pending.shift() ?? container.final;
        const error = status === 'ERROR' ? { error_message: 'FAILED_DOWNLOADING_VIDEO' } : {};
        return this.#json(res, 200, { id: first, status, status_code: status, ...error });
      }
      const media = this.published.find((m) => m.id === first);
      if (media) return this.#json(res, 200, { id: media.id, permalink: media.permalink });
    }
    this.#invalid(res, `Unsupported request: ${route}`);
  }

  /** Facebook Login and Threads' OAuth (see the class comment); false when the request is not one of theirs. */
  #login(req: IncomingMessage, res: ServerResponse, route: string, first: string, q: Record<string, string>): boolean {
    const refuse = (code: number, message: string, subcode?: number) => {
      this.#json(res, 400, graphErrorEnvelope(code, message, subcode === undefined ? {} : { subcode }));
      return true;
    };
    if (route === 'GET /dialog/oauth' || route === 'GET /oauth/authorize') {
      const app = route === 'GET /dialog/oauth' ? 'facebook' : 'threads';
      if (q.client_id !== this.apps[app].id || !q.redirect_uri || q.response_type !== 'code') {
        return refuse(101, 'Invalid App ID, redirect_uri or response_type');
      }
      const back = new URL(q.redirect_uri);
      back.searchParams.set('state', q.state ?? '');
      if (this.denyNext) {
        this.denyNext = false;
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_reason', 'user_denied');
        back.searchParams.set('error_description', 'Permissions error');
      } else {
        const code = `${app}-code-${this.#codes.size + 1}`;
        this.#codes.set(code, { app, redirectUri: q.redirect_uri, used: false });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { location: back.toString() }).end();
      return true;
    }
    if (route === 'GET /oauth/access_token' || route === 'POST /oauth/access_token') {
      const app = req.method === 'GET' ? 'facebook' : 'threads';
      if (q.client_id !== this.apps[app].id || q.client_secret !== this.apps[app].secret) {
        return refuse(1, 'Error validating client secret.');
      }
      if (app === 'facebook' && q.grant_type === 'fb_exchange_token') {
        if (!this.#shortTokens.has(q.fb_exchange_token ?? '')) return refuse(190, 'Invalid OAuth access token.');
        this.#json(res, 200, { access_token: this.userToken, token_type: 'bearer', expires_in: 5_183_944 });
        return true;
      }
      const grant = this.#codes.get(q.code ?? '');
      if (!grant || grant.app !== app) return refuse(100, 'Invalid verification code format.');
      if (grant.used) return refuse(100, 'This authorization code has been used.', 36009);
      if (grant.redirectUri !== q.redirect_uri) {
        const why = 'Error validating verification code. Please make sure your redirect_uri is identical.';
        return refuse(100, why, 36008);
      }
      grant.used = true;
      const short = `${app}-short-token-${this.#shortTokens.size + 1}`;
      this.#shortTokens.add(short);
      if (app === 'facebook') {
        this.#json(res, 200, { access_token: short, token_type: 'bearer', expires_in: 5_183 });
        return true;
      }
      // Threads sends the user id as a JSON number.
      const answer = `{"access_token":"${short}","user_id":${this.userId}}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      return true;
    }
    if (route === 'GET /refresh_access_token' && q.grant_type === 'th_refresh_token') {
      // Threads: a long-lived token (at least a day old, not expired) for a new 60-day one.
      if (q.access_token !== this.token)
        return refuse(190, 'Error validating access token: the user has not authorized the application.');
      this.refreshes++;
      this.token = `fake-meta-token-r${this.refreshes}`;
      this.#json(res, 200, { access_token: this.token, token_type: 'bearer', expires_in: 5_183_944 });
      return true;
    }
    if (route === 'GET /access_token' && q.grant_type === 'th_exchange_token') {
      if (q.client_secret !== this.apps.threads.secret) return refuse(1, 'Error validating client secret.');
      if (!this.#shortTokens.has(q.access_token ?? '')) return refuse(190, 'Invalid OAuth access token.');
      this.#json(res, 200, { access_token: this.token, token_type: 'bearer', expires_in: 5_183_944 });
      return true;
    }
    if (route === 'GET /me/accounts' && q.access_token === this.userToken) {
      const data = this.pages.map((p) => ({ id: p.id, name: p.name, access_token: p.accessToken, tasks: p.tasks }));
      this.#json(res, 200, { data, paging: { cursors: { before: 'QVFIUb', after: 'QVFIUa' } } });
      return true;
    }
    const page = this.pages.find((p) => p.id === first);
    if (route === 'GET /{id}' && page && (q.access_token === this.userToken || q.access_token === page.accessToken)) {
      const fields = (q.fields ?? 'id,name').split(',');
      const ig = fields.some((f) => f.startsWith('instagram_business_account')) ? page.instagram : undefined;
      this.#json(res, 200, { id: page.id, name: page.name, ...(ig ? { instagram_business_account: ig } : {}) });
      return true;
    }
    return false;
  }

  /** Answers from {@link pagesApi}: the same request, passed on. */
  async #forward(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const answer = await fetch(`${this.pagesApi}${req.url}`, {
      method: req.method ?? 'GET',
      headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
      ...(req.method === 'GET' ? {} : { body }),
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  }

  #createContainer(res: ServerResponse, params: Record<string, string>) {
    const type = params.media_type ?? (params.image_url ? 'IMAGE' : '');
    if (!mediaTypes.has(type))
      return this.#invalid(res, 'Param media_type must be one of {TEXT, IMAGE, VIDEO, REELS, CAROUSEL}');
    if (type === 'TEXT' && !params.text) return this.#invalid(res, 'Param text is required for TEXT posts');
    if (type === 'IMAGE' && !params.image_url) return this.#invalid(res, 'Param image_url is required');
    if ((type === 'VIDEO' || type === 'REELS') && !params.video_url)
      return this.#invalid(res, 'Param video_url is required');
    if ([...(params.text ?? '')].length > 500)
      return this.#invalid(res, 'Param text must be at most 500 characters long');
    if (type === 'CAROUSEL') {
      const children = (params.children ?? '').split(',').filter(Boolean);
      if (children.length < 2 || children.length > 20) return this.#invalid(res, 'A carousel has 2 to 20 children');
      for (const c of children) {
        const child = this.containers.get(c);
        if (child?.params.is_carousel_item !== 'true') return this.#invalid(res, `Child ${c} is not a carousel item`);
        if (child.pending.length > 0 || child.final !== 'FINISHED') {
          return this.#json(res, 400, graphErrorEnvelope(9007, 'Media ID is not available', { subcode: 2207027 }));
        }
      }
    }
    if (params.reply_to_id && !this.published.some((m) => m.id === params.reply_to_id)) {
      return this.#invalid(res, `Reply target ${params.reply_to_id} does not exist`);
    }
    const id = String(this.#next++);
    this.containers.set(id, {
      id,
      params: { ...params, media_type: type },
      pending: [...this.nextStatuses],
      final: this.nextFinal,
      notFoundTries: params.is_carousel_item === 'true' ? 0 : this.nextNotFound,
    });
    this.nextFinal = 'FINISHED';
    if (params.is_carousel_item !== 'true') this.nextNotFound = 0;
    this.#json(res, 200, { id });
  }

  #publish(req: IncomingMessage, res: ServerResponse, params: Record<string, string>, path: string, lose: boolean) {
    const container = this.containers.get(params.creation_id ?? '');
    if (!container) return this.#invalid(res, 'Param creation_id is not a valid container');
    if (container.mediaId || container.final === 'PUBLISHED')
      return this.#invalid(res, 'The media has already been published');
    if (container.pending.length > 0 || container.final !== 'FINISHED') {
      return this.#json(
        res,
        400,
        graphErrorEnvelope(9007, 'The media is not ready for publishing, please wait for a moment', {
          subcode: 2207027,
        }),
      );
    }
    if (container.notFoundTries > 0) {
      container.notFoundTries--;
      return this.#json(res, 400, metaErrors.mediaNotFound().body);
    }
    const p = container.params;
    const quota = p.reply_to_id ? this.replyQuota : this.quota;
    if (quota.usage >= quota.total) {
      return path === 'media_publish'
        ? this.#json(
            res,
            400,
            graphErrorEnvelope(
              9,
              'You reached maximum number of posts that is allowed to be published by Content Publishing API.',
              { subcode: 2207042 },
            ),
          )
        : this.#json(res, 400, graphErrorEnvelope(4, 'Application request limit reached'));
    }
    quota.usage++;
    const media = this.#record({
      text: p.text ?? p.caption ?? '',
      mediaType: p.media_type ?? 'IMAGE',
      children: p.children ? p.children.split(',') : [],
      replyTo: p.reply_to_id ?? null,
      altText: p.alt_text ?? null,
    });
    container.mediaId = media.id;
    container.final = 'PUBLISHED';
    container.pending = [];
    if (lose) {
      req.socket.destroy();
      return;
    }
    this.#json(res, 200, { id: media.id });
  }
}
