import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server.js';

export interface FakeMastodonOptions {
  token?: string;
  /** The domain in the instance's handles (`LOCAL_DOMAIN`); default the server's host. */
  domain?: string;
  maxCharacters?: number;
  maxMediaAttachments?: number;
  charactersReservedPerUrl?: number;
  descriptionLimit?: number;
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

/** A status as the API shows it: the text only as HTML, attachments as entities. */
function entity(status: FakeStatus, base: string) {
  const { text: _, media_ids, ...rest } = status;
  return {
    ...rest,
    media_attachments: media_ids.map((id) => ({ id, type: 'image', url: `${base}/media/${id}` })),
  };
}

interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Do the work (create the status), then drop the connection instead of answering. */
  lostAfterCreate?: boolean;
}

/**
 * FakeMastodonServer: a local HTTP server that follows Mastodon's documented REST API for what
 * hayon calls (instance v2/v1, verify_credentials, media v2 with 202/206 processing, statuses with
 * Idempotency-Key, account statuses) and its error answers. Failures are scripted per route.
 */
export class FakeMastodonServer {
  readonly statuses: FakeStatus[] = [];
  readonly media = new Map<string, { description: string | null; type: string; pollsLeft: number }>();
  /** Every request, as `METHOD /path`. */
  readonly requests: string[] = [];
  revoked = false;
  /** How many status requests got a 503 from `statusErrorRate`. */
  transientAnswers = 0;
  /** How many status requests came back with an Idempotency-Key already used (answered with the first status). */
  repeatedKeys = 0;
  /** Apps registered through `POST /api/v1/apps` (hayon registers once per instance). */
  readonly apps: { clientId: string; clientSecret: string; redirectUri: string; scopes: string }[] = [];
  /** The next authorization is refused by the "user" (error=access_denied). */
  denyNext = false;
  readonly #codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; used: boolean }>();
  readonly #idempotency = new Map<string, FakeStatus>();
  readonly #local = new LocalServer<ScriptedAnswer>();
  #next = 100;
  url = '';

  constructor(readonly options: FakeMastodonOptions = {}) {}

  get token(): string {
    return this.options.token ?? 'fake-mastodon-token';
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

  /** The next request to `route` (`POST /api/v1/statuses`) gets this answer instead. */
  failNext(route: string, answer: ScriptedAnswer): this {
    this.#local.script(route, answer);
    return this;
  }

  /** Adds a status as if posted earlier (by hand, or by an attempt long ago). */
  seedStatus(text: string, at: Date, inReplyToId: string | null = null): FakeStatus {
    const id = String(this.#next++);
    const status: FakeStatus = {
      id,
      url: `${this.url}/@alice/${id}`,
      uri: `${this.url}/users/alice/statuses/${id}`,
      content: toHtml(text),
      text,
      in_reply_to_id: inReplyToId,
      visibility: 'public',
      spoiler_text: '',
      language: null,
      media_ids: [],
      created_at: at.toISOString(),
    };
    this.statuses.unshift(status);
    return status;
  }

  /**
   * Mastodon's OAuth as documented (docs.joinmastodon.org/methods/apps, /methods/oauth): app
   * registration, the authorize step (the "user" approves at once, or refuses with `denyNext`)
   * redirecting back with a code, and the token exchange checking client, redirect URI and the
   * PKCE S256 verifier. The token issued is the server's one valid token.
   */
  #oauth(route: string, url: URL, body: Buffer, send: Send, res: ServerResponse): boolean {
    const form = new URLSearchParams(body.toString('utf8'));
    if (route === 'POST /api/v1/apps') {
      const n = this.apps.length + 1;
      const app = {
        clientId: `client-${n}`,
        clientSecret: `client-secret-${n}`,
        redirectUri: form.get('redirect_uris') ?? '',
        scopes: form.get('scopes') ?? 'read',
      };
      this.apps.push(app);
      send(200, {
        id: String(n),
        name: form.get('client_name'),
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: app.redirectUri,
      });
      return true;
    }
    if (route === 'GET /oauth/authorize') {
      const q = url.searchParams;
      const app = this.apps.find((a) => a.clientId === q.get('client_id'));
      if (!app || app.redirectUri !== q.get('redirect_uri')) {
        send(400, {
          error: 'invalid_client',
          error_description: 'Client authentication failed due to unknown client.',
        });
        return true;
      }
      const back = new URL(app.redirectUri);
      back.searchParams.set('state', q.get('state') ?? '');
      if (this.denyNext || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        this.denyNext = false;
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The resource owner or authorization server denied the request.');
      } else {
        const code = `code-${this.#codes.size + 1}`;
        this.#codes.set(code, {
          clientId: app.clientId,
          redirectUri: app.redirectUri,
          challenge: q.get('code_challenge') ?? '',
          used: false,
        });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { location: back.toString() }).end();
      return true;
    }
    if (route === 'POST /oauth/token') {
      const grant = this.#codes.get(form.get('code') ?? '');
      const app = this.apps.find((a) => a.clientId === form.get('client_id'));
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const bad = (why: string) => send(400, { error: 'invalid_grant', error_description: why });
      if (!app || app.clientSecret !== form.get('client_secret')) bad('Client authentication failed.');
      else if (!grant || grant.used || grant.clientId !== app.clientId)
        bad('The provided authorization grant is invalid, expired, revoked or was issued to another client.');
      else if (grant.redirectUri !== form.get('redirect_uri')) bad('The redirect URI does not match.');
      else if (grant.challenge !== challenge) bad('The code verifier does not match.');
      else {
        grant.used = true;
        send(200, { access_token: this.token, token_type: 'Bearer', scope: app.scopes, created_at: 1 });
      }
      return true;
    }
    return false;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const route = `${req.method} ${url.pathname.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    this.requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
    };

    const scripted = this.#local.scripted(route);
    if (scripted && !scripted.lostAfterCreate) {
      send(scripted.status, scripted.body ?? { error: `scripted ${scripted.status}` }, scripted.headers);
      return;
    }
    if (route === 'GET /api/v2/instance') {
      if (this.options.noV2Instance) return send(404, { error: 'Record not found' });
      return send(200, {
        domain: this.options.domain ?? url.host,
        configuration: {
          statuses: {
            max_characters: this.options.maxCharacters ?? 500,
            max_media_attachments: this.options.maxMediaAttachments ?? 4,
            characters_reserved_per_url: this.options.charactersReservedPerUrl ?? 23,
          },
          media_attachments: { description_limit: this.options.descriptionLimit ?? 1500 },
        },
      });
    }
    const oauth = this.#oauth(route, url, body, send, res);
    if (oauth) return;
    if (route === 'GET /api/v1/instance')
      return send(200, { uri: url.host, max_toot_chars: this.options.maxCharacters ?? 500 });

    if (req.headers.authorization !== `Bearer ${this.token}` || this.revoked) {
      return send(401, { error: this.revoked ? 'The access token was revoked' : 'The access token is invalid' });
    }
    if (route === 'GET /api/v1/accounts/verify_credentials') {
      return send(200, { id: '7', username: 'alice', acct: 'alice', url: `${this.url}/@alice` });
    }
    if (route === 'POST /api/v2/media') {
      const form = await new Request(url, {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body,
      }).formData();
      const file = form.get('file');
      if (!(file instanceof Blob)) return send(422, { error: 'Validation failed: File is missing' });
      const id = String(this.#next++);
      const video = file.type.startsWith('video/');
      const pollsLeft = video ? (this.options.processingPolls ?? 2) : 0;
      const description = form.get('description');
      this.media.set(id, {
        description: typeof description === 'string' ? description : null,
        type: file.type,
        pollsLeft,
      });
      return send(video ? 202 : 200, {
        id,
        type: video ? 'video' : 'image',
        url: video ? null : `${this.url}/media/${id}`,
      });
    }
    if (route === 'GET /api/v1/media/:id') {
      const id = url.pathname.split('/').at(-1) ?? '';
      const m = this.media.get(id);
      if (!m) return send(404, { error: 'Record not found' });
      if (m.pollsLeft > 0) {
        m.pollsLeft--;
        return send(206, { id, url: null });
      }
      return send(200, { id, url: `${this.url}/media/${id}` });
    }
    if (route === 'POST /api/v1/statuses') {
      const delay = this.options.statusDelayMs?.() ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (Math.random() < (this.options.statusErrorRate ?? 0)) {
        this.transientAnswers++;
        return send(503, { error: 'Service Unavailable' });
      }
      const key = req.headers['idempotency-key'];
      const known = typeof key === 'string' ? this.#idempotency.get(key) : undefined;
      if (known) {
        this.repeatedKeys++;
        return send(200, entity(known, this.url));
      }
      const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      const text = String(input.status ?? '');
      const max = this.options.maxCharacters ?? 500;
      const length = [...text.replace(/https?:\/\/\S+/g, 'x'.repeat(23))].length;
      if (length > max) return send(422, { error: `Validation failed: Text character limit of ${max} exceeded` });
      const mediaIds = (input.media_ids as string[] | undefined) ?? [];
      if (mediaIds.some((m) => !this.media.has(m) || (this.media.get(m)?.pollsLeft ?? 0) > 0)) {
        return send(422, { error: 'Validation failed: Media is still being processed' });
      }
      const id = String(this.#next++);
      const status: FakeStatus = {
        id,
        url: `${this.url}/@alice/${id}`,
        uri: `${this.url}/users/alice/statuses/${id}`,
        content: toHtml(text),
        text,
        in_reply_to_id: (input.in_reply_to_id as string | undefined) ?? null,
        visibility: (input.visibility as string | undefined) ?? 'public',
        spoiler_text: (input.spoiler_text as string | undefined) ?? '',
        language: (input.language as string | undefined) ?? null,
        media_ids: mediaIds,
        created_at: new Date().toISOString(),
      };
      this.statuses.unshift(status);
      if (typeof key === 'string') this.#idempotency.set(key, status);
      if (scripted?.lostAfterCreate) {
        req.socket.destroy();
        return;
      }
      return send(200, entity(status, this.url));
    }
    if (route === 'GET /api/v1/accounts/:id/statuses') {
      // Newest first, at most 40, older than `max_id` when given (Mastodon's pagination).
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), 40);
      const maxId = url.searchParams.get('max_id');
      const older = maxId ? this.statuses.filter((st) => Number(st.id) < Number(maxId)) : this.statuses;
      return send(
        200,
        older.slice(0, limit).map((st) => entity(st, this.url)),
      );
    }
    send(404, { error: 'Record not found' });
  }
}

type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Mastodon's rendering: paragraphs, `<br />`, links split into invisible/ellipsis spans, mentions as h-cards. */
function toHtml(text: string): string {
  const inline = (line: string) =>
    escapeHtml(line)
      .replace(/https?:\/\/[^\s<]+/g, (u) => {
        const [scheme, rest] = [u.slice(0, u.indexOf('//') + 2), u.slice(u.indexOf('//') + 2)];
        return `<a href="${u}" rel="nofollow noopener" target="_blank"><span class="invisible">${scheme}</span><span class="ellipsis">${rest.slice(0, 30)}</span><span class="invisible">${rest.slice(30)}</span></a>`;
      })
      .replace(
        /(^|\s)@(\w+)(?:@[\w.-]+\w)?/g,
        '$1<span class="h-card"><a href="#" class="u-url mention">@<span>$2</span></a></span>',
      );
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split('\n').map(inline).join('<br />')}</p>`)
    .join('');
}
