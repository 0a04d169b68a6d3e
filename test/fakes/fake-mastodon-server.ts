import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server.js';
import { toHtml } from './fake-mastodon-html.js';
import { type FakeMastodonApp, FakeMastodonOAuth } from './fake-mastodon-oauth.js';
import { type RequestParams, readBody, readParams } from './fake-mastodon-params.js';

export interface FakeMastodonOptions {
  token?: string;
  /** The domain in the instance's handles (`LOCAL_DOMAIN`); default the server's host. */
  domain?: string;
  maxCharacters?: number;
  maxMediaAttachments?: number;
  charactersReservedPerUrl?: number;
  descriptionLimit?: number;
  /** Largest video upload in bytes (`video_size_limit`); default 99 MB as on mastodon.social. */
  videoSizeLimit?: number;
  /** Answer 404 to /api/v2/instance, like an old instance or a fork. */
  noV2Instance?: boolean;
  /** How many times a processed upload answers 206 before it is ready (video). */
  processingPolls?: number;
  /** Milliseconds before each `POST /api/v1/statuses` is answered (a busy instance); drawn per request. */
  statusDelayMs?: () => number;
  /** The share of `POST /api/v1/statuses` answered 503 without creating anything (a transient outage). */
  statusErrorRate?: number;
}

export interface FakeStatus {
  id: string;
  url: string;
  uri: string;
  content: string;
  text: string;
  in_reply_to_id: string | null;
  visibility: string;
  spoiler_text: string;
  language: string | null;
  media_ids: string[];
  created_at: string;
}

export interface FakeMedia {
  description: string | null;
  type: string;
  size: number;
  pollsLeft: number;
  /** The status it is attached to (an attachment is used once). */
  statusId: string | null;
}

interface ScriptedAnswer {
  status: number;
  /** JSON, or a string sent as is (`text/html` unless `headers` say otherwise). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Do the work (create the status), then drop the connection instead of answering. */
  lostAfterCreate?: boolean;
  /** Drop the connection at once, doing nothing (a reset). */
  drop?: boolean;
}

/** What Mastodon 4.x states in `configuration.media_attachments.supported_mime_types` (images, video, audio). */
const supportedMimeTypes = [
  ...['image/jpeg', 'image/png', 'image/gif', 'image/heic', 'image/heif', 'image/webp', 'image/avif'],
  ...['video/webm', 'video/mp4', 'video/quicktime', 'video/ogg'],
  ...['audio/wave', 'audio/wav', 'audio/x-wav', 'audio/x-pn-wave', 'audio/vnd.wave', 'audio/ogg', 'audio/vorbis'],
  ...['audio/mpeg', 'audio/mp3', 'audio/webm', 'audio/flac', 'audio/aac', 'audio/m4a', 'audio/x-m4a', 'audio/mp4'],
  ...['audio/3gpp', 'video/x-ms-asf'],
];
const visibilities = ['public', 'unlisted', 'private', 'direct'];
const imageSizeLimit = 16 * 1024 * 1024;

/**
 * FakeMastodonServer: a local HTTP server, reached at its URL like a real instance, that follows
 * Mastodon's documented REST API (docs.joinmastodon.org) for what hayon calls and refuses what
 * Mastodon refuses: instance v2/v1 (public), verify_credentials, media v2 (multipart only; 202 and
 * 206 while video is processed; unsupported types and over-limit files refused), statuses (JSON or
 * form; Idempotency-Key; text or media required; a video only alone; processed, unattached media
 * only; an existing parent), account statuses (newest first, `max_id` paging, no direct ones),
 * a status deleted (`DELETE /api/v1/statuses/:id`, 404 once gone), and the OAuth flow
 * (fake-mastodon-oauth.ts). Failures are scripted per route.
 */
export class FakeMastodonServer {
  readonly statuses: FakeStatus[] = [];
  readonly media = new Map<string, FakeMedia>();
  /** Every request, as `METHOD /path`. */
  readonly requests: string[] = [];
  /** Every `Idempotency-Key` header `POST /api/v1/statuses` received, in order. */
  readonly idempotencyKeys: string[] = [];
  revoked = false;
  /** How many status requests got a 503 from `statusErrorRate`. */
  transientAnswers = 0;
  /** How many status requests came back with an Idempotency-Key already used (answered with the first status). */
  repeatedKeys = 0;
  readonly #oauth = new FakeMastodonOAuth(() => this.token);
  readonly #idempotency = new Map<string, FakeStatus>();
  readonly #local = new LocalServer<ScriptedAnswer>();
  #next = 100;
  url = '';

  constructor(readonly options: FakeMastodonOptions = {}) {}

  get token(): string {
    return this.options.token ?? 'fake-mastodon-token';
  }

  /** Apps registered through `POST /api/v1/apps` (hayon registers once per instance). */
  get apps(): readonly FakeMastodonApp[] {
    return this.#oauth.apps;
  }

  /** The next authorization is refused by the "user" (error=access_denied). */
  set denyNext(deny: boolean) {
    this.#oauth.denyNext = deny;
  }

  async start(): Promise<this> {
    this.url = await this.#local.start(
      (req, res) => this.#handle(req, res),
      (res, e) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(e) }));
      },
    );
    return this;
  }

  stop(): Promise<void> {
    return this.#local.stop();
  }

  /** The next request to `route` (`POST /api/v1/statuses`) gets this answer instead. */
  failNext(route: string, answer: ScriptedAnswer): this {
    this.#local.script(route, answer);
    return this;
  }

  /** Adds a status as if posted earlier (by hand, or by an attempt long ago). */
  seedStatus(text: string, at: Date, inReplyToId: string | null = null): FakeStatus {
    return this.#create({ text, inReplyToId, visibility: 'public', spoilerText: '', language: null, mediaIds: [] }, at);
  }

  #create(
    s: Pick<FakeStatus, 'text' | 'visibility' | 'language'> & {
      inReplyToId: string | null;
      spoilerText: string;
      mediaIds: string[];
    },
    at: Date,
  ): FakeStatus {
    const id = String(this.#next++);
    const status: FakeStatus = {
      id,
      url: `${this.url}/@alice/${id}`,
      uri: `${this.url}/users/alice/statuses/${id}`,
      content: toHtml(s.text),
      text: s.text,
      in_reply_to_id: s.inReplyToId,
      visibility: s.visibility,
      spoiler_text: s.spoilerText,
      language: s.language,
      media_ids: s.mediaIds,
      created_at: at.toISOString(),
    };
    for (const m of s.mediaIds) {
      const media = this.media.get(m);
      if (media) media.statusId = id;
    }
    this.statuses.unshift(status);
    return status;
  }

  /** A status as the API shows it: the text only as HTML, attachments as entities. */
  #entity(status: FakeStatus) {
    const { text: _, media_ids, ...rest } = status;
    return {
      ...rest,
      media_attachments: media_ids.map((id) => this.#mediaEntity(id)),
    };
  }

  #mediaEntity(id: string) {
    const m = this.media.get(id);
    const type = m?.type.split('/')[0] === 'video' ? 'video' : m?.type === 'image/gif' ? 'gifv' : 'image';
    const ready = (m?.pollsLeft ?? 0) === 0;
    return { id, type, url: ready ? `${this.url}/media/${id}` : null, description: m?.description ?? null };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const route = `${req.method} ${url.pathname.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    this.requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      if (typeof payload === 'string') {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(payload);
        return;
      }
      res
        .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
        .end(JSON.stringify(payload));
    };

    const scripted = this.#local.scripted(route);
    if (scripted?.drop) {
      req.socket.destroy();
      return;
    }
    if (scripted && !scripted.lostAfterCreate) {
      send(scripted.status, scripted.body ?? { error: `scripted ${scripted.status}` }, scripted.headers);
      return;
    }
    const params = await readParams(req, body);
    if (route === 'GET /api/v2/instance') return this.#instanceV2(url, send);
    if (route === 'GET /api/v1/instance') {
      return send(200, { uri: url.host, max_toot_chars: this.options.maxCharacters ?? 500 });
    }
    if (this.#oauth.handle(route, url, params, send, res)) return;

    if (req.headers.authorization !== `Bearer ${this.token}` || this.revoked) {
      return send(401, { error: this.revoked ? 'The access token was revoked' : 'The access token is invalid' });
    }
    if (route === 'GET /api/v1/accounts/verify_credentials') {
      return send(200, { id: '7', username: 'alice', acct: 'alice', url: `${this.url}/@alice` });
    }
    if (route === 'POST /api/v2/media') return this.#upload(params, send);
    if (route === 'GET /api/v1/media/:id') {
      const id = url.pathname.split('/').at(-1) ?? '';
      const m = this.media.get(id);
      if (!m) return send(404, { error: 'Record not found' });
      if (m.pollsLeft > 0) {
        m.pollsLeft--;
        return send(206, { ...this.#mediaEntity(id), url: null });
      }
      return send(200, this.#mediaEntity(id));
    }
    if (route === 'POST /api/v1/statuses') {
      const delay = this.options.statusDelayMs?.() ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (Math.random() < (this.options.statusErrorRate ?? 0)) {
        this.transientAnswers++;
        return send(503, { error: 'Service Unavailable' });
      }
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string') this.idempotencyKeys.push(key);
      const known = typeof key === 'string' ? this.#idempotency.get(key) : undefined;
      if (known) {
        this.repeatedKeys++;
        return send(200, this.#entity(known));
      }
      const refused = this.#refuseStatus(params);
      if (refused) return send(refused.status, { error: refused.error });
      const status = this.#create(
        {
          text: params.get('status') ?? '',
          inReplyToId: params.get('in_reply_to_id') ?? null,
          visibility: params.get('visibility') ?? 'public',
          spoilerText: params.get('spoiler_text') ?? '',
          language: params.get('language') ?? null,
          mediaIds: params.list('media_ids'),
        },
        new Date(),
      );
      if (typeof key === 'string') this.#idempotency.set(key, status);
      if (scripted?.lostAfterCreate) {
        req.socket.destroy();
        return;
      }
      return send(200, this.#entity(status));
    }
    if (route === 'DELETE /api/v1/statuses/:id') {
      // Mastodon answers the deleted status with its source text (to "delete and redraft"), and
      // 404 "Record not found" for a status that is not there (or not the account's).
      const id = url.pathname.split('/').at(-1) ?? '';
      const at = this.statuses.findIndex((st) => st.id === id);
      const [gone] = at >= 0 ? this.statuses.splice(at, 1) : [];
      if (!gone) return send(404, { error: 'Record not found' });
      return send(200, { ...this.#entity(gone), text: gone.text });
    }
    if (route === 'GET /api/v1/accounts/:id/statuses') {
      // Newest first, at most 40, older than `max_id` when given (Mastodon's pagination); direct ones left out.
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), 40);
      const maxId = url.searchParams.get('max_id');
      const older = this.statuses.filter(
        (st) => st.visibility !== 'direct' && (!maxId || Number(st.id) < Number(maxId)),
      );
      return send(
        200,
        older.slice(0, limit).map((st) => this.#entity(st)),
      );
    }
    send(404, { error: 'Record not found' });
  }

  #instanceV2(url: URL, send: Send) {
    if (this.options.noV2Instance) return send(404, { error: 'Record not found' });
    send(200, {
      domain: this.options.domain ?? url.host,
      configuration: {
        statuses: {
          max_characters: this.options.maxCharacters ?? 500,
          max_media_attachments: this.options.maxMediaAttachments ?? 4,
          characters_reserved_per_url: this.options.charactersReservedPerUrl ?? 23,
        },
        media_attachments: {
          supported_mime_types: supportedMimeTypes,
          description_limit: this.options.descriptionLimit ?? 1500,
          image_size_limit: imageSizeLimit,
          image_matrix_limit: 33_177_600,
          video_size_limit: this.#videoSizeLimit,
          video_frame_rate_limit: 120,
          video_matrix_limit: 8_294_400,
        },
      },
    });
  }

  get #videoSizeLimit(): number {
    return this.options.videoSizeLimit ?? 99 * 1024 * 1024;
  }

  /** `POST /api/v2/media`: multipart with `file`; 200 for an image, 202 while a video is processed. */
  #upload(params: RequestParams, send: Send) {
    const file = params.file('file');
    if (!file) return send(422, { error: "Validation failed: File can't be blank" });
    if (!supportedMimeTypes.includes(file.type)) {
      return send(422, { error: 'Validation failed: File content type is invalid, File is invalid' });
    }
    const video = file.type.startsWith('video/');
    const limit = video ? this.#videoSizeLimit : imageSizeLimit;
    if (file.size > limit) {
      return send(422, {
        error: `Validation failed: File file size must be less than ${Math.round(limit / 1048576)} MB`,
      });
    }
    const description = params.get('description') ?? null;
    const max = this.options.descriptionLimit ?? 1500;
    if (description && [...description].length > max) {
      return send(422, { error: `Validation failed: Description is too long (maximum is ${max} characters)` });
    }
    const id = String(this.#next++);
    const pollsLeft = video ? (this.options.processingPolls ?? 2) : 0;
    this.media.set(id, { description, type: file.type, size: file.size, pollsLeft, statusId: null });
    send(video ? 202 : 200, this.#mediaEntity(id));
  }

  /** Why Mastodon would refuse this `POST /api/v1/statuses`, checked in Mastodon's order; null if it would not. */
  #refuseStatus(params: RequestParams): { status: number; error: string } | null {
    const invalid = (error: string) => ({ status: 422, error });
    const parent = params.get('in_reply_to_id');
    if (parent && !this.statuses.some((s) => s.id === parent)) {
      return { status: 404, error: 'The post you are trying to reply to does not appear to exist.' };
    }
    const ids = params.list('media_ids');
    const maxMedia = this.options.maxMediaAttachments ?? 4;
    if (ids.length > maxMedia) return invalid(`Cannot attach more than ${maxMedia} files`);
    const media = ids.map((id) => this.media.get(id));
    const missing = ids.filter((_id, i) => !media[i] || media[i]?.statusId !== null);
    if (missing.length > 0) return invalid(`Media ${missing.join(', ')} not found or already attached to another post`);
    if (media.length > 1 && media.some((m) => m?.type.startsWith('video/'))) {
      return invalid('Cannot attach a video to a post that already contains images');
    }
    if (media.some((m) => (m?.pollsLeft ?? 0) > 0)) {
      return invalid('Cannot attach files that have not finished processing. Try again in a moment!');
    }
    const text = params.get('status') ?? '';
    if (text.trim() === '' && ids.length === 0) return invalid("Validation failed: Text can't be blank");
    const visibility = params.get('visibility');
    if (visibility && !visibilities.includes(visibility)) {
      return invalid('Validation failed: Visibility is not included in the list');
    }
    const max = this.options.maxCharacters ?? 500;
    const length = [...text.replace(/https?:\/\/\S+/g, 'x'.repeat(23))].length;
    if (length > max) return invalid(`Validation failed: Text character limit of ${max} exceeded`);
    return null;
  }
}

type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;
