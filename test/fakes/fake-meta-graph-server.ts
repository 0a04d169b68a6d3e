import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphErrorEnvelope, metaErrors, type ScriptedAnswer } from './fake-meta-errors.js';
import { checkContainer, type MetaApi, type MetaNode, unknownField } from './fake-meta-shapes.js';
import { allTasks, type FakePage, type LoginCode, metaLogin } from './fake-meta-login.js';
import { LocalServer } from './local-server.js';

export type { FakePage } from './fake-meta-login.js';
export { type GraphErrorEnvelope, graphErrorEnvelope, metaErrors, type ScriptedAnswer } from './fake-meta-errors.js';

export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

export interface FakeContainer {
  id: string;
  /** Made through `POST /{user}/threads` (Threads) or `/{user}/media` (Instagram). */
  api: MetaApi;
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
  /** Threads' link card (`link_attachment`), read back as `link_attachment_url`. */
  linkAttachment: string | null;
  permalink: string;
  timestamp: string;
}

/**
 * FakeMetaGraphServer: a local HTTP server that follows the Threads (graph.threads.net) and
 * Instagram (graph.facebook.com) container APIs, including their documented error answers.
 *
 * Routes: `GET /me`, `GET /{ig-user-id}` (profile); `POST /{user}/threads` (Threads container:
 * TEXT with its `link_attachment` card, IMAGE, VIDEO, CAROUSEL of ready children, `reply_to_id`)
 * and `POST /{user}/media` (Instagram: an image, REELS, VIDEO only as a carousel item, CAROUSEL);
 * `GET /{container}` (Threads `status`/`error_message`, Instagram `status_code`/`status`,
 * scripted: IN_PROGRESS n times, then FINISHED / ERROR / EXPIRED, PUBLISHED once published);
 * `POST /{user}/threads_publish|media_publish` (once per container of that API, within the
 * quota); `GET /{user}/threads_publishing_limit|content_publishing_limit`;
 * `GET /{user}/threads|media|replies` (newest first, `since`, `limit`); `GET /{media}`
 * (permalink, `link_attachment_url`); `DELETE /{threads-media-id}` (Instagram media cannot be
 * deleted through the API: refused). What the references refuse is refused with code 100
 * (fake-meta-shapes.ts): a field the node lacks, a missing `media_type` or URL, text over its
 * limit, `link_attachment` off a TEXT post, `alt_text` on an Instagram reel. A wrong token is
 * error 190; scripted answers (429, codes 4/17, 500, a drop, a lost answer) come from
 * {@link failNext}. What was published is in `published`, newest first.
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
  /** Authorization codes and short-lived tokens handed out by the login endpoints (fake-meta-login.ts). */
  readonly codes = new Map<string, LoginCode>();
  readonly shortTokens = new Set<string>();
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
      linkAttachment: null,
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
    // GET and DELETE carry their parameters (the token) in the query, POST in a form body.
    const inQuery = req.method === 'GET' || req.method === 'DELETE';
    const params: Record<string, string> = Object.fromEntries(inQuery ? url.searchParams : form);
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
    if (metaLogin(this, req, res, route, first, params)) return;
    if (params.access_token !== this.token) return this.#json(res, 400, metaErrors.expiredToken().body);
    const isUser = first === 'me' || first === this.userId;
    const get = req.method === 'GET';
    const answer = (node: MetaNode, body: Record<string, unknown>) => {
      const refused = unknownField(params.fields, node);
      return refused ? this.#json(res, 400, refused) : this.#json(res, 200, body);
    };
    if (get && isUser && !second) return answer('User', { id: this.userId, username: this.username });
    if (req.method === 'DELETE' && !second) return this.#delete(res, first);
    if (!get && isUser && (second === 'threads' || second === 'media')) {
      return this.#createContainer(res, params, second === 'threads' ? 'threads' : 'instagram');
    }
    if (!get && isUser && (second === 'threads_publish' || second === 'media_publish')) {
      return this.#publish(req, res, params, second, Boolean(scripted?.lostAfterPublish));
    }
    if (get && isUser && (second === 'threads_publishing_limit' || second === 'content_publishing_limit')) {
      const row = {
        quota_usage: this.quota.usage,
        config: { quota_total: this.quota.total, quota_duration: this.quota.duration },
        reply_quota_usage: this.replyQuota.usage,
        reply_config: { quota_total: this.replyQuota.total, quota_duration: this.replyQuota.duration },
      };
      const fields = (params.fields ?? 'quota_usage').split(',');
      const node = second === 'threads_publishing_limit' ? 'ThreadsPublishingLimit' : 'IGContentPublishingLimit';
      return answer(node, { data: [Object.fromEntries(Object.entries(row).filter(([k]) => fields.includes(k)))] });
    }
    if (get && isUser && (second === 'threads' || second === 'media' || second === 'replies')) {
      const since = params.since ? Number(params.since) * 1000 : 0;
      const list = this.published
        .filter((m) => (second === 'replies' ? m.replyTo !== null : m.replyTo === null))
        .filter((m) => Date.parse(m.timestamp) >= since)
        .slice(0, Number(params.limit ?? 25));
      const text = second === 'media' ? 'caption' : 'text';
      const node = second === 'media' ? 'IGMedia' : 'ThreadsMedia';
      return answer(node, {
        data: list.map((m) => ({ id: m.id, permalink: m.permalink, timestamp: m.timestamp, [text]: m.text })),
      });
    }
    if (get && !second) {
      const container = this.containers.get(first);
      if (container) {
        const status = container.pending.shift() ?? container.final;
        if (container.api === 'instagram') {
          // Instagram's `status` says why when `status_code` is ERROR.
          const why = status === 'ERROR' ? 'Error: Media upload has failed with error code 2207026' : status;
          return answer('IGContainer', { id: first, status_code: status, status: why });
        }
        const error = status === 'ERROR' ? { error_message: 'FAILED_DOWNLOADING_VIDEO' } : {};
        return answer('ThreadsContainer', { id: first, status, ...error });
      }
      const media = this.published.find((m) => m.id === first);
      if (media) {
        const card = media.linkAttachment ? { link_attachment_url: media.linkAttachment } : {};
        return answer('ThreadsMedia', { id: media.id, permalink: media.permalink, ...card });
      }
    }
    this.#invalid(res, `Unsupported request: ${route}`);
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

  #createContainer(res: ServerResponse, params: Record<string, string>, api: MetaApi) {
    const checked = checkContainer(api, params, {
      child: (id) => {
        const c = this.containers.get(id);
        return c && { params: c.params, ready: c.pending.length === 0 && c.final === 'FINISHED' };
      },
      published: (id) => this.published.some((m) => m.id === id),
    });
    if (!checked.ok) return this.#json(res, checked.status, checked.body);
    const id = String(this.#next++);
    this.containers.set(id, {
      id,
      api,
      params: { ...params, media_type: checked.mediaType },
      pending: [...this.nextStatuses],
      final: this.nextFinal,
      notFoundTries: params.is_carousel_item === 'true' ? 0 : this.nextNotFound,
    });
    this.nextFinal = 'FINISHED';
    if (params.is_carousel_item !== 'true') this.nextNotFound = 0;
    this.#json(res, 200, { id });
  }

  /**
   * `DELETE /{threads-media-id}`: `{success, deleted_id}`; a post and its replies' parent link
   * go. Instagram's API has no delete: its media answer "Unsupported delete request", as does an
   * id that is not there (any more), with code 100/33 as Meta answers them.
   */
  #delete(res: ServerResponse, id: string): void {
    const at = this.published.findIndex((m) => m.id === id);
    const instagram = [...this.containers.values()].some((c) => c.mediaId === id && c.api === 'instagram');
    if (at < 0 || instagram) {
      const why = `Unsupported delete request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`;
      this.#json(res, 400, graphErrorEnvelope(100, why, { subcode: 33 }));
      return;
    }
    this.published.splice(at, 1);
    this.#json(res, 200, { success: true, deleted_id: id });
  }

  #publish(req: IncomingMessage, res: ServerResponse, params: Record<string, string>, path: string, lose: boolean) {
    const container = this.containers.get(params.creation_id ?? '');
    const api = path === 'threads_publish' ? 'threads' : 'instagram';
    if (!container || container.api !== api) return this.#invalid(res, 'Param creation_id is not a valid container');
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
      linkAttachment: p.link_attachment ?? null,
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
