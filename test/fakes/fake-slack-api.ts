import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Answer,
  type Args,
  fail,
  fileEntity,
  isObject,
  json,
  messageContent,
  readArgs,
  str,
  userEntity,
} from './fake-slack-wire.js';
import { LocalServer } from './local-server.js';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  /** The parent's ts on replies; absent on top-level messages (even those with replies). */
  thread_ts?: string;
  user?: string;
  /** Message metadata (`{event_type, event_payload}`), as posted; listed with `include_all_metadata`. */
  metadata?: Record<string, unknown>;
}

type Failure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 }
  | { error: string }
  /** The call is carried out, and the connection closed before its answer (an answer lost on the way). */
  | { answerLost: true };
type ViewCall = { method: 'views.open' | 'views.update'; trigger_id?: string; view_id?: string; view: Args };

const BOT_ID = 'B0HAYON';
const APP_ID = 'A0HAYON';

/**
 * FakeSlackApi: a local HTTP server that follows the Slack Web API for what hayon calls (auth.test,
 * chat.*, conversations.replies/history, views.open/update, users.info, files.info and private file downloads,
 * usergroups.users.list), with Slack's error answers: HTTP 200 `{ok:false,error}` for errors, 429
 * with Retry-After for rate limits. Bodies are form-encoded (as WebClient sends them) or JSON; the
 * token comes as `Authorization: Bearer` or a `token` field. Failures are scripted per method.
 *
 * @example
 * const slack = new FakeSlackApi();
 * await slack.start();
 * const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
 */
export class FakeSlackApi {
  readonly botToken: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly botUserId: string;
  /** Every API call in order, scripted failures included (file downloads not included). */
  readonly calls: SlackCall[] = [];
  readonly #local = new LocalServer<Failure>();
  readonly #messages = new Map<string, SlackMessage[]>();
  readonly #ephemerals: { channel: string; user: string; text?: string; blocks?: unknown[] }[] = [];
  readonly #viewCalls: ViewCall[] = [];
  readonly #openViews = new Map<string, Answer>();
  readonly #users = new Map<string, { tz: string; name: string; admin: boolean }>();
  readonly #files = new Map<string, { bytes: Uint8Array; name: string; mimetype: string; created: number }>();
  readonly #usergroups = new Map<string, string[]>();
  /** The app-level token Socket Mode connects with. */
  readonly appToken = 'xapp-1-A0HAYON-test';
  /** Where `apps.connections.open` sends the client (a FakeSlackSocket); unset, Socket Mode is refused. */
  socketUrl: string | undefined;
  readonly #methods = new Map<string, (args: Args) => Answer>([
    ['auth.test', () => this.#authTest()],
    ['chat.postMessage', (a) => this.#postMessage(a)],
    ['chat.update', (a) => this.#update(a)],
    ['chat.delete', (a) => this.#delete(a)],
    ['chat.postEphemeral', (a) => this.#postEphemeral(a)],
    ['conversations.replies', (a) => this.#replies(a)],
    ['conversations.history', (a) => this.#history(a)],
    ['views.open', (a) => this.#viewsOpen(a)],
    ['views.update', (a) => this.#viewsUpdate(a)],
    ['users.info', (a) => this.#usersInfo(a)],
    ['files.info', (a) => this.#filesInfo(a)],
    ['usergroups.users.list', (a) => this.#usergroupUsers(a)],
    // Answered before the bot-token check, with the app-level token (see the request handler).
    ['apps.connections.open', () => fail('invalid_auth')],
  ]);
  #seq = 0;

  constructor(options: { botToken?: string; teamId?: string; teamName?: string; botUserId?: string } = {}) {
    this.botToken = options.botToken ?? 'xoxb-test-token';
    this.teamId = options.teamId ?? 'T0HAYON';
    this.teamName = options.teamName ?? 'hayon-test';
    this.botUserId = options.botUserId ?? 'U0BOT';
  }

  start(): Promise<string> {
    return this.#local.start(
      (req, res) => this.#handle(req, res),
      (res, e) => json(res, 500, { ok: false, error: 'fatal_error', detail: String(e) }),
    );
  }

  stop(): Promise<void> {
    return this.#local.stop();
  }

  /** The server stops listening: every call is refused (ECONNREFUSED) until {@link up}. */
  down(): Promise<void> {
    return this.#local.down();
  }

  /** Listening again on the same port, with everything it held. */
  up(): Promise<void> {
    return this.#local.up();
  }

  get origin(): string {
    return this.#local.origin;
  }

  /** `${origin}/api/` — WebClient's slackApiUrl (must end with '/'). */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** A workspace member for users.info; tz defaults to 'America/Los_Angeles', name to the id in lower case; `admin` a workspace admin. */
  addUser(id: string, profile: { tz?: string; name?: string; admin?: boolean }): void {
    this.#users.set(id, {
      tz: profile.tz ?? 'America/Los_Angeles',
      name: profile.name ?? id.toLowerCase(),
      admin: profile.admin ?? false,
    });
  }

  /** A file in Slack; files.info answers it; its url_private serves the bytes only with the bot token (else 200 text/html login page, as Slack does); returns the file object. */
  addFile(
    id: string,
    bytes: Uint8Array,
    options: { name: string; mimetype: string },
  ): { id: string; url_private: string; url_private_download: string } {
    this.#files.set(id, { bytes, ...options, created: Math.floor(Date.now() / 1000) });
    const { url_private, url_private_download } = fileEntity(
      this.origin,
      this.teamId,
      this.botUserId,
      id,
      this.#files.get(id),
    );
    return { id, url_private, url_private_download };
  }

  setUsergroup(id: string, users: string[]): void {
    this.#usergroups.set(id, [...users]);
  }

  /** The next call(s) to `method` fail: `{ status: 429, retryAfter: 1 }` answers 429 with Retry-After (seconds) and body {ok:false,error:'ratelimited'}; `{ status: 503 }` answers that status with a text body (Slack down); `{ error: 'channel_not_found' }` answers 200 {ok:false,error}; `{ answerLost: true }` carries the call out and closes the connection before answering. */
  failNext(method: string, failure: Failure, times = 1): void {
    this.#local.script(method, ...Array.from({ length: times }, () => failure));
  }

  /** Messages posted to a channel (top level and replies), in order, after updates applied; deleted ones gone. */
  messages(channel: string): SlackMessage[] {
    return (this.#messages.get(channel) ?? []).map((m) => ({ ...m }));
  }

  /** Replies in a thread (thread_ts = parent ts), in order. */
  replies(channel: string, threadTs: string): SlackMessage[] {
    return this.messages(channel).filter((m) => m.thread_ts === threadTs);
  }

  /** Accepted chat.postEphemeral calls' args, in order (failed calls are in `calls` only). */
  ephemerals(): { channel: string; user: string; text?: string; blocks?: unknown[] }[] {
    return this.#ephemerals.map((e) => ({ ...e }));
  }

  /** Accepted views.open / views.update calls' views, in order (parsed objects); an update by external_id shows the view_id it resolved to. */
  views(): ViewCall[] {
    return this.#viewCalls.map((v) => ({ ...v }));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname.startsWith('/files-pri/')) return this.#download(req, res, url);
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (!method) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');

    const { args, token, invalid } = await readArgs(req, url);
    this.calls.push({ method, args, at: Date.now() });
    const failure = this.#local.scripted(method);
    if (failure && 'retryAfter' in failure) {
      return json(res, 429, fail('ratelimited'), { 'retry-after': String(failure.retryAfter) });
    }
    if (failure && 'status' in failure) {
      return void res.writeHead(failure.status, { 'content-type': 'text/plain' }).end('Slack is having trouble');
    }
    if (failure && 'error' in failure) return json(res, 200, fail(failure.error));
    if (invalid) return json(res, 200, fail(invalid));
    const handler = this.#methods.get(method);
    if (!handler) return json(res, 200, { ...fail('unknown_method'), req_method: method });
    if (!token) return json(res, 200, fail('not_authed'));
    // Socket Mode: the app-level token opens a WebSocket; no other method takes it.
    if (method === 'apps.connections.open') {
      if (!this.socketUrl || token !== this.appToken) return json(res, 200, fail('invalid_auth'));
      return json(res, 200, { ok: true, url: this.socketUrl });
    }
    if (token !== this.botToken) return json(res, 200, fail('invalid_auth'));
    const answer = handler(args);
    if (failure) return void req.socket.destroy();
    json(res, 200, answer);
  }

  #authTest(): Answer {
    return {
      ok: true,
      url: `${this.origin}/`,
      team: this.teamName,
      team_id: this.teamId,
      user: 'hayon',
      user_id: this.botUserId,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    };
  }

  #postMessage(a: Args): Answer {
    const channel = str(a.channel);
    if (!channel) return fail('channel_not_found');
    const content = messageContent(a);
    if (typeof content === 'string') return fail(content);
    const list = this.#channel(channel);
    let threadTs = str(a.thread_ts);
    if (threadTs) {
      const parent = list.find((m) => m.ts === threadTs);
      if (!parent) return fail('thread_not_found');
      // A reply to a reply lands in the parent's thread.
      threadTs = parent.thread_ts ?? parent.ts;
    }
    const message: SlackMessage = { channel, ts: this.#nextTs(), user: this.botUserId, ...content };
    if (threadTs) message.thread_ts = threadTs;
    if (a.metadata !== undefined) {
      if (!isObject(a.metadata) || typeof a.metadata.event_type !== 'string') return fail('invalid_metadata_format');
      message.metadata = a.metadata;
    }
    list.push(message);
    return { ok: true, channel, ts: message.ts, message: this.#messageEntity(message) };
  }

  #update(a: Args): Answer {
    const channel = str(a.channel);
    if (!channel) return fail('channel_not_found');
    const message = this.#messages.get(channel)?.find((m) => m.ts === a.ts);
    if (!message) return fail('message_not_found');
    const content = messageContent(a);
    if (typeof content === 'string') return fail(content);
    // New text without blocks drops the old blocks: Slack renders the new text (chat.update docs).
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks) message.blocks = content.blocks;
    else delete message.blocks;
    return { ok: true, channel, ts: message.ts, text: message.text ?? '', message: this.#messageEntity(message) };
  }

  #delete(a: Args): Answer {
    const channel = str(a.channel);
    if (!channel) return fail('channel_not_found');
    const list = this.#messages.get(channel) ?? [];
    const index = list.findIndex((m) => m.ts === a.ts);
    if (index < 0) return fail('message_not_found');
    list.splice(index, 1);
    return { ok: true, channel, ts: a.ts };
  }

  /** A thread: its parent first, then the replies, oldest first (`ts` may be any message of it). */
  #replies(a: Args): Answer {
    const channel = str(a.channel);
    const list = channel ? this.#messages.get(channel) : undefined;
    if (!list) return fail('channel_not_found');
    const at = list.find((m) => m.ts === a.ts);
    if (!at) return fail('thread_not_found');
    const parent = at.thread_ts ?? at.ts;
    const thread = list.filter((m) => m.ts === parent || m.thread_ts === parent);
    return this.#page(thread, a);
  }

  /** A channel's top-level messages, newest first, after `oldest` (exclusive). */
  #history(a: Args): Answer {
    const channel = str(a.channel);
    const list = channel ? this.#messages.get(channel) : undefined;
    if (!list) return fail('channel_not_found');
    const oldest = Number(a.oldest ?? 0);
    const top = list.filter((m) => !m.thread_ts && Number(m.ts) > oldest).reverse();
    return this.#page(top, a);
  }

  /** One page of `limit` (default 100) messages from `cursor` (an offset), as Slack pages them. */
  #page(messages: SlackMessage[], a: Args): Answer {
    const limit = Math.min(Number(a.limit) || 100, 1000);
    const from = Number(a.cursor ?? 0) || 0;
    const withMetadata = a.include_all_metadata === true || a.include_all_metadata === 'true';
    const page = messages.slice(from, from + limit).map((m) => {
      const { metadata, ...rest } = this.#messageEntity(m) as Answer & { metadata?: unknown };
      return withMetadata && metadata ? { ...rest, metadata } : rest;
    });
    const next = from + limit < messages.length ? String(from + limit) : '';
    return { ok: true, messages: page, has_more: next !== '', response_metadata: { next_cursor: next } };
  }

  #postEphemeral(a: Args): Answer {
    const channel = str(a.channel);
    if (!channel) return fail('channel_not_found');
    const user = str(a.user);
    if (!user) return fail('user_not_in_channel');
    const content = messageContent(a);
    if (typeof content === 'string') return fail(content);
    this.#ephemerals.push({ channel, user, ...content });
    return { ok: true, message_ts: this.#nextTs() };
  }

  #viewsOpen(a: Args): Answer {
    const triggerId = str(a.trigger_id);
    if (!triggerId) return fail('invalid_trigger_id');
    if (!isObject(a.view)) return fail('invalid_arguments');
    const externalId = str(a.view.external_id);
    if (externalId && this.#viewByExternalId(externalId)) return fail('duplicate_external_id');
    const id = `V${String(this.#openViews.size + 1).padStart(10, '0')}`;
    const view = this.#viewEntity(id, a.view);
    this.#viewCalls.push({ method: 'views.open', trigger_id: triggerId, view: a.view });
    return { ok: true, view };
  }

  #viewsUpdate(a: Args): Answer {
    if (!isObject(a.view)) return fail('invalid_arguments');
    const viewId = str(a.view_id);
    const externalId = str(a.external_id);
    if (!viewId && !externalId) return fail('invalid_arguments');
    const current = viewId ? this.#openViews.get(viewId) : this.#viewByExternalId(externalId ?? '');
    if (!current) return fail('not_found');
    if (str(a.hash) && a.hash !== current.hash) return fail('hash_conflict');
    const id = String(current.id);
    const view = this.#viewEntity(id, { external_id: current.external_id, ...a.view });
    this.#viewCalls.push({ method: 'views.update', view_id: id, view: a.view });
    return { ok: true, view };
  }

  #usersInfo(a: Args): Answer {
    const id = str(a.user) ?? '';
    const user = this.#users.get(id);
    if (!user) return fail('user_not_found');
    return { ok: true, user: userEntity(this.teamId, id, user) };
  }

  #filesInfo(a: Args): Answer {
    const id = str(a.file) ?? '';
    if (!this.#files.has(id)) return fail('file_not_found');
    return {
      ok: true,
      file: fileEntity(this.origin, this.teamId, this.botUserId, id, this.#files.get(id)),
      comments: [],
      response_metadata: { next_cursor: '' },
    };
  }

  #usergroupUsers(a: Args): Answer {
    const users = this.#usergroups.get(str(a.usergroup) ?? '');
    return users ? { ok: true, users: [...users] } : fail('no_such_subteam');
  }

  /** `/files-pri/<team>-<file>/<name>` and `/files-pri/<team>-<file>/download/<name>`, as Slack serves them. */
  #download(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const [, , segment = '', ...rest] = url.pathname.split('/');
    const id = segment.startsWith(`${this.teamId}-`) ? segment.slice(this.teamId.length + 1) : '';
    const file = this.#files.get(id);
    const download = rest[0] === 'download' && rest.length === 2;
    const name = decodeURIComponent(rest.at(-1) ?? '');
    if (!file || name !== file.name || (rest.length !== 1 && !download)) {
      return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>');
    }
    if (req.headers.authorization !== `Bearer ${this.botToken}`) {
      // Slack answers a request without the token with its sign-in page, not an error status.
      const page = `<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to ${this.teamName}</body></html>`;
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    }
    res.writeHead(200, {
      'content-type': file.mimetype,
      'content-length': String(file.bytes.byteLength),
      ...(download && { 'content-disposition': `attachment; filename="${file.name}"` }),
    });
    res.end(req.method === 'HEAD' ? undefined : file.bytes);
  }

  #channel(channel: string): SlackMessage[] {
    const list = this.#messages.get(channel) ?? [];
    this.#messages.set(channel, list);
    return list;
  }

  /** Strictly increasing Slack timestamps: 1700000000.000100, 1700000000.000200, … */
  #nextTs(): string {
    this.#seq += 1;
    const micros = 1_700_000_000_000_000 + this.#seq * 100;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  #messageEntity(m: SlackMessage): Answer {
    const { channel: _, ...rest } = m;
    return { type: 'message', bot_id: BOT_ID, app_id: APP_ID, team: this.teamId, ...rest, text: m.text ?? '' };
  }

  #viewEntity(id: string, view: Args): Answer {
    this.#seq += 1;
    const entity: Answer = {
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      external_id: '',
      state: { values: {} },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      ...view,
      id,
      team_id: this.teamId,
      hash: `${1_700_000_000 + this.#seq}.${String(this.#seq).padStart(8, '0')}`,
      root_view_id: id,
      app_id: APP_ID,
      app_installed_team_id: this.teamId,
      bot_id: BOT_ID,
    };
    this.#openViews.set(id, entity);
    return entity;
  }

  #viewByExternalId(externalId: string): Answer | undefined {
    return [...this.#openViews.values()].find((v) => v.external_id === externalId);
  }
}
