import type { IncomingMessage, ServerResponse } from 'node:http';
import { type GraphErrorAnswer, graphErrors, type PageNode, unknownPageField } from './fake-facebook-errors.js';
import { LocalServer } from './local-server.js';

export { type GraphErrorAnswer, graphErrors } from './fake-facebook-errors.js';

export interface FakeFacebookOptions {
  pageId?: string;
  pageName?: string;
  token?: string;
}

export interface FakePost {
  id: string;
  message: string;
  link: string | null;
  /** The photos attached (`attached_media`), in order. */
  photoIds: string[];
  videoId: string | null;
  created_time: string;
  permalink_url: string;
}

export interface FakePhoto {
  id: string;
  url: string;
  alt: string | null;
  published: boolean;
  /** The post that shows it, once attached. */
  page_story_id: string | null;
}

export interface FakeVideo {
  id: string;
  file_url: string;
  description: string;
  created_time: string;
}

interface ScriptedAnswer {
  answer?: GraphErrorAnswer;
  /** Do the work (create the post, photo or video), then drop the connection instead of answering. */
  lostAfterCreate?: boolean;
  /** Drop the connection without doing anything (a network failure). */
  dropConnection?: boolean;
}

/**
 * FakeFacebookServer: a local HTTP server that follows the Graph API for a Facebook Page as
 * hayon uses it (any `/vNN.N` prefix): the Page node, `/{page}/feed` (create, with `message`,
 * `link`, `attached_media[i]`), `/{page}/published_posts` and `/{page}/feed` (list, newest
 * first, `since`), `/{page}/photos` (`url`, `published=false`, `alt_text_custom`),
 * `/{page}/videos` (`file_url`, `description`; list), single posts, photos and videos, and
 * `DELETE /{post-id}` (a post, or the photo or video behind it). Errors
 * come in Meta's envelope (`{"error": {message, type, code, error_subcode, fbtrace_id}}`); any
 * request can be scripted to fail, to drop its connection, or to lose its answer after the work
 * is done; a read asking for a field its node lacks is refused as the Graph API does. Every post
 * created is recorded, so tests can assert exactly-once.
 */
export class FakeFacebookServer {
  readonly posts: FakePost[] = [];
  readonly photos = new Map<string, FakePhoto>();
  readonly videos = new Map<string, FakeVideo>();
  /** Every request, as `METHOD /path` (version prefix removed). */
  readonly requests: string[] = [];
  /** Set to make every call answer this token error (190 with its subcode). */
  tokenError: GraphErrorAnswer | undefined;
  readonly #local = new LocalServer<ScriptedAnswer>();
  #next = 1000;
  url = '';

  constructor(readonly options: FakeFacebookOptions = {}) {}

  get pageId(): string {
    return this.options.pageId ?? '104729318412345';
  }
  get token(): string {
    return this.options.token ?? 'EAAfakepagetoken';
  }
  /** The base URL an adapter is given, with a version like the real one. */
  get apiUrl(): string {
    return `${this.url}/v26.0`;
  }

  async start(): Promise<this> {
    const origin = await this.#local.start(
      (req, res) => this.#handle(req, res),
      (res, e) => {
        send(res, 500, { error: { message: String(e), type: 'FakeServerError', code: 1 } });
      },
    );
    this.url = origin;
    return this;
  }

  stop(): Promise<void> {
    return this.#local.stop();
  }

  /**
   * The next request to `route` (after `skip` that go through normally) gets this scripted
   * behaviour. Routes name ids `:id`: `POST /:id/feed`, `POST /:id/photos`, `POST /:id/videos`,
   * `GET /:id/published_posts`, `GET /:id`.
   */
  failNext(
    route: string,
    answer: GraphErrorAnswer | { lostAfterCreate: true } | { dropConnection: true },
    skip = 0,
  ): this {
    const passes: ScriptedAnswer[] = Array.from({ length: skip }, () => ({}));
    this.#local.script(route, ...passes, 'status' in answer ? { answer } : answer);
    return this;
  }

  /** Calls made to `route` (`POST /:id/photos`). */
  count(route: string): number {
    return this.requests.filter((r) => routeOf(r) === route).length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, '');
    const line = `${req.method} ${path}`;
    this.requests.push(line);
    const route = routeOf(line);
    const params = new URLSearchParams(url.search);
    if (req.method === 'POST') for (const [k, v] of new URLSearchParams(await readBody(req))) params.set(k, v);
    const fail = (a: GraphErrorAnswer) =>
      send(res, a.status, { error: { ...a.error, fbtrace_id: 'AfakeTrace123' } }, a.headers);

    const scripted = this.#local.scripted(route);
    if (scripted?.dropConnection) {
      req.socket.destroy();
      return;
    }
    if (scripted?.answer) return fail(scripted.answer);
    if (this.tokenError) return fail(this.tokenError);
    if (params.get('access_token') !== this.token) return fail(graphErrors.invalidToken);

    const done = (status: number, body: unknown) => {
      if (scripted?.lostAfterCreate) {
        req.socket.destroy();
        return;
      }
      send(res, status, body);
    };
    const [, first, edge] = path.split('/');
    const onPage = first === this.pageId;
    /** A read answered with the fields its node has; an unknown field is refused, as Meta does. */
    const read = (node: PageNode, body: unknown) => {
      const refused = unknownPageField(params.get('fields'), node);
      return refused ? fail(refused) : send(res, 200, body);
    };

    if (req.method === 'GET' && onPage && edge === undefined) {
      const refused = unknownPageField(params.get('fields'), 'Page');
      if (refused) return fail(refused);
      return done(200, { id: this.pageId, name: this.options.pageName ?? 'Hayon Bakery' });
    }
    if (req.method === 'POST' && onPage && edge === 'feed') return this.#createPost(params, done, fail);
    if (req.method === 'POST' && onPage && edge === 'photos') {
      const photoUrl = params.get('url');
      if (!photoUrl) return fail(missing('url'));
      const id = String(this.#next++);
      const published = params.get('published') !== 'false';
      const photo: FakePhoto = {
        id,
        url: photoUrl,
        alt: params.get('alt_text_custom'),
        published,
        page_story_id: null,
      };
      this.photos.set(id, photo);
      if (!published) return done(200, { id });
      const post = this.#record({ message: params.get('caption') ?? '', photoIds: [id] });
      photo.page_story_id = post.id;
      return done(200, { id, post_id: post.id });
    }
    if (req.method === 'POST' && onPage && edge === 'videos') {
      const fileUrl = params.get('file_url');
      if (!fileUrl) return fail(missing('file_url'));
      const id = String(this.#next++);
      const description = params.get('description') ?? '';
      const created_time = graphTime(new Date());
      this.videos.set(id, { id, file_url: fileUrl, description, created_time });
      this.#record({ message: description, videoId: id, id: `${this.pageId}_${id}` });
      return done(200, { id });
    }
    if (req.method === 'GET' && onPage && (edge === 'published_posts' || edge === 'feed')) {
      const since = Number(params.get('since') ?? 0) * 1000;
      const limit = Number(params.get('limit') ?? 25);
      const data = this.posts
        .filter((p) => Date.parse(p.created_time) >= since)
        .slice(0, limit)
        .map((p) => ({
          id: p.id,
          ...(p.message ? { message: p.message } : {}),
          created_time: p.created_time,
          permalink_url: p.permalink_url,
        }));
      return read('PagePost', { data, paging: {} });
    }
    if (req.method === 'GET' && onPage && edge === 'videos') {
      const data = [...this.videos.values()]
        .reverse()
        .slice(0, Number(params.get('limit') ?? 25))
        .map((v) => ({
          id: v.id,
          ...(v.description ? { description: v.description } : {}),
          created_time: v.created_time,
          permalink_url: `/${this.pageId}/videos/${v.id}/`,
        }));
      return read('Video', { data, paging: {} });
    }
    if (req.method === 'DELETE' && first && edge === undefined) {
      // A Page post (`{page}_{post}`), or the video or photo behind one: `{"success": true}`; what is
      // not there falls through to the 100/33 answer below.
      const at = this.posts.findIndex((p) => p.id === first || p.videoId === first || p.photoIds.includes(first));
      if (at >= 0) {
        const [gone] = this.posts.splice(at, 1);
        if (gone?.videoId) this.videos.delete(gone.videoId);
        for (const id of gone?.photoIds ?? []) this.photos.delete(id);
        return done(200, { success: true });
      }
    }
    if (req.method === 'GET' && first && edge === undefined) {
      const post = this.posts.find((p) => p.id === first);
      if (post) return read('PagePost', { id: post.id, permalink_url: post.permalink_url });
      const photo = this.photos.get(first);
      const story = photo?.page_story_id ? { page_story_id: photo.page_story_id } : {};
      if (photo) return read('Photo', { id: photo.id, ...story });
      const video = this.videos.get(first);
      if (video) return read('Video', { id: video.id, permalink_url: `/${this.pageId}/videos/${video.id}/` });
    }
    return fail({
      status: 400,
      error: {
        message: `Unsupported ${req.method} request. Object with ID '${first}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      },
    });
  }

  #createPost(
    params: URLSearchParams,
    done: (status: number, body: unknown) => void,
    fail: (a: GraphErrorAnswer) => void,
  ): void {
    const photoIds: string[] = [];
    for (let i = 0; params.has(`attached_media[${i}]`); i++) {
      let fbid: string | undefined;
      try {
        fbid = (JSON.parse(params.get(`attached_media[${i}]`) ?? '') as { media_fbid?: string }).media_fbid;
      } catch {
        fbid = undefined;
      }
      const photo = fbid ? this.photos.get(fbid) : undefined;
      if (!photo || photo.published || photo.page_story_id) {
        fail({
          status: 400,
          error: {
            message: `(#100) param attached_media[${i}] must be an unpublished photo of this Page`,
            type: 'OAuthException',
            code: 100,
          },
        });
        return;
      }
      photoIds.push(photo.id);
    }
    const message = params.get('message') ?? '';
    const link = params.get('link');
    if (link !== null && !/^https?:\/\/\S+$/.test(link)) {
      const why = '(#100) The parameter link must be a valid URL';
      fail({ status: 400, error: { message: why, type: 'OAuthException', code: 100 } });
      return;
    }
    if (!message && !link && photoIds.length === 0) {
      fail(missing('message'));
      return;
    }
    const post = this.#record({ message, link, photoIds });
    for (const id of photoIds) {
      const photo = this.photos.get(id);
      if (photo) photo.page_story_id = post.id;
    }
    done(200, { id: post.id });
  }

  #record(p: { message: string; link?: string | null; photoIds?: string[]; videoId?: string; id?: string }): FakePost {
    const id = p.id ?? `${this.pageId}_${this.#next++}`;
    const post: FakePost = {
      id,
      message: p.message,
      link: p.link ?? null,
      photoIds: p.photoIds ?? [],
      videoId: p.videoId ?? null,
      created_time: graphTime(new Date()),
      permalink_url: `https://www.facebook.com/${this.pageId}/posts/${id.split('_')[1]}`,
    };
    this.posts.unshift(post);
    return post;
  }
}

/** `GET /104729318412345/feed` → `GET /:id/feed`. */
function routeOf(line: string): string {
  return line.replace(/\/\d+(_\d+)?(?=\/|$)/g, '/:id');
}

function missing(param: string): GraphErrorAnswer {
  return {
    status: 400,
    error: { message: `(#100) The parameter ${param} is required`, type: 'OAuthException', code: 100 },
  };
}

/** Meta's time format: `2026-11-28T19:30:00+0000`. */
function graphTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}+0000`;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
