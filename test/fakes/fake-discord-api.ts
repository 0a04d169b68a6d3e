import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Answer,
  applyEdit,
  BOT_USER,
  type Body,
  type DiscordCall,
  type DiscordMessage,
  error,
  imageSize,
  invalidForm,
  isObject,
  json,
  messageEntity,
  now,
  rateLimited,
  readBody,
  type Stored,
  send,
  type Thread,
  threadEntity,
  toPublic,
  unknownMessage,
  unknownWebhook,
} from './fake-discord-wire.js';
import { LocalServer } from './local-server.js';

export type { DiscordCall, DiscordMessage } from './fake-discord-wire.js';

type Failure =
  | { status: 429; retryAfter: number }
  | { status: number; code: number; message: string }
  /** The call is carried out, and the connection closed before its answer (an answer lost on the way). */
  | { answerLost: true };
type Params = Record<string, string>;
type Route = { method: string; pattern: RegExp; bot: boolean; handle: (p: Params, body: unknown) => Answer };
type Interaction = {
  channelId: string;
  /** The message a component interaction came from: what type 6/7 and `@original` then refer to. */
  componentMessageId?: string;
  acked: boolean;
  deferredEphemeral: boolean;
  originalId?: string;
};
const EPHEMERAL = 64;
const API = '/api/v10';
/**
 * FakeDiscordApi: a local HTTP server that follows Discord's REST API v10 for what hayon calls:
 * interaction callbacks and the interaction webhook (`@original`, follow-ups), channel messages,
 * threads started from messages, application command registration, `/users/@me`, and attachment
 * downloads from the CDN. Errors are Discord's: `{message, code}` JSON with 4xx, 429 with
 * Retry-After. Bot routes need `Authorization: Bot <botToken>`; webhook routes need a token given
 * to `addInteraction` and no auth.
 *
 * A deferred response (callback type 5) creates no message: the original appears when the app first
 * PATCHes `@original` (until then `original(token)` is undefined). Real Discord shows a placeholder
 * "thinking" message meanwhile; nothing in hayon reads it.
 *
 * @example
 * const discord = new FakeDiscordApi();
 * await discord.start();
 * const rest = new REST({ api: discord.apiUrl }).setToken(discord.botToken);
 */
export class FakeDiscordApi {
  readonly botToken: string;
  readonly applicationId: string;
  /** Every API call in order, scripted failures and refused ones included (CDN downloads not included). */
  readonly calls: DiscordCall[] = [];
  readonly #local = new LocalServer<never>();
  readonly #failures: { method: string; path: RegExp; failure: Failure }[] = [];
  /** All messages, ephemeral ones included, in order of creation; deleted ones removed. */
  readonly #messages: Stored[] = [];
  readonly #interactions = new Map<string, Interaction>();
  readonly #ephemerals = new Map<string, string[]>();
  readonly #threads = new Map<string, Thread>();
  readonly #registrations: { guildId?: string; commands: unknown[] }[] = [];
  readonly #attachments = new Map<string, { bytes: Uint8Array; contentType: string }>();
  readonly #routes: Route[];
  #snowflake = 1_200_000_000_000_000_000n;

  constructor(options: { botToken?: string; applicationId?: string } = {}) {
    this.botToken = options.botToken ?? 'discord-bot-token';
    this.applicationId = options.applicationId ?? '1100000000000000001';
    const webhook = '/webhooks/(?<app>\\d+)/(?<token>[^/]+)';
    const route = (method: string, path: string, bot: boolean, handle: Route['handle']): Route =>
      ({ method, pattern: new RegExp(`^${path}$`), bot, handle }) satisfies Route;
    this.#routes = [
      route('POST', '/interactions/(?<id>\\d+)/(?<token>[^/]+)/callback', false, (p, b) => this.#callback(p, b)),
      route('POST', webhook, false, (p, b) => this.#followUp(p, b)),
      route('GET', `${webhook}/messages/(?<message>@original|\\d+)`, false, (p) => this.#webhookMessage(p)),
      route('PATCH', `${webhook}/messages/(?<message>@original|\\d+)`, false, (p, b) => this.#webhookEdit(p, b)),
      route('DELETE', `${webhook}/messages/(?<message>@original|\\d+)`, false, (p) => this.#webhookDelete(p)),
      route('GET', '/channels/(?<channel>\\d+)/messages/(?<message>\\d+)', true, (p) => this.#getMessage(p)),
      route('POST', '/channels/(?<channel>\\d+)/messages', true, (p, b) => this.#create(p.channel ?? '', b, false)),
      route('PATCH', '/channels/(?<channel>\\d+)/messages/(?<message>\\d+)', true, (p, b) => this.#editMessage(p, b)),
      route('DELETE', '/channels/(?<channel>\\d+)/messages/(?<message>\\d+)', true, (p) => this.#deleteMessage(p)),
      route('POST', '/channels/(?<channel>\\d+)/messages/(?<message>\\d+)/threads', true, (p, b) => this.#thread(p, b)),
      route('PUT', '/applications/(?<app>\\d+)/commands', true, (p, b) => this.#register(p, b)),
      route('PUT', '/applications/(?<app>\\d+)/guilds/(?<guild>\\d+)/commands', true, (p, b) => this.#register(p, b)),
      route('GET', '/users/@me', true, () => ({ status: 200, body: this.#user() })),
      // Where a gateway client connects (a FakeDiscordGateway), as `GET /gateway/bot` answers it.
      route('GET', '/gateway/bot', true, () =>
        this.gatewayUrl
          ? {
              status: 200,
              body: {
                url: this.gatewayUrl,
                shards: 1,
                session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
              },
            }
          : error(404, 0, '404: Not Found'),
      ),
    ];
  }

  start(): Promise<string> {
    return this.#local.start(
      (req, res) => this.#handle(req, res),
      (res, e) => json(res, 500, { message: '500: Internal Server Error', code: 0, detail: String(e) }),
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

  /** `${origin}/api` (discord.js REST `api` option style: version appended by the client as /v10). */
  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  callsTo(method: string, pathPattern: RegExp): DiscordCall[] {
    return this.calls.filter((c) => c.method === method && pathPattern.test(c.path));
  }

  /**
   * Registers an interaction token the app may answer through the webhook routes, for the channel it
   * came from. For a component interaction, `messageId` names the message the component was on:
   * callback type 7 edits it, and after type 6 `@original` is that message.
   */
  /**
   * `answeredOverHttp`: the app answered this interaction in its HTTP response (an interactions
   * endpoint), which Discord reads before any webhook call can follow: the token counts as
   * acknowledged (deferred, not ephemeral) from the start.
   */
  /** Set to a FakeDiscordGateway's URL to let a gateway client connect. */
  gatewayUrl: string | undefined;

  addInteraction(
    token: string,
    channelId: string,
    options: { messageId?: string; answeredOverHttp?: boolean } = {},
  ): void {
    const interaction: Interaction = { channelId, acked: options.answeredOverHttp ?? false, deferredEphemeral: false };
    if (options.messageId) interaction.componentMessageId = options.messageId;
    this.#interactions.set(token, interaction);
  }

  /** A file on the CDN: served at `${origin}/attachments/${channelId}/${id}/${name}` with its content type, no auth (as Discord's CDN, signed query params ignored); returns the attachment object as Discord puts it in `resolved.attachments`. Width and height come from PNG and JPEG headers. */
  addAttachment(
    channelId: string,
    id: string,
    bytes: Uint8Array,
    options: { filename: string; contentType: string },
  ): Record<string, unknown> {
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(options.filename)}`;
    this.#attachments.set(path, { bytes, contentType: options.contentType });
    const now = Math.floor(Date.now() / 1000);
    const signed = `?ex=${(now + 86_400).toString(16)}&is=${now.toString(16)}&hm=${'0'.repeat(64)}&`;
    const url = `${this.origin}${path}${signed}`;
    const { filename, contentType: content_type } = options;
    return { id, filename, size: bytes.byteLength, url, proxy_url: url, content_type, ...imageSize(bytes) };
  }

  /** Next call(s) matching method + path regex (tested against `DiscordCall.path`) fail: `{ status: 429, retryAfter: 1 }`, `{ status, code, message }`, or `{ answerLost: true }` (carried out, its answer never sent). */
  failNext(method: string, path: RegExp, failure: Failure, times = 1): void {
    for (let i = 0; i < times; i++) this.#failures.push({ method, path, failure });
  }

  /** Messages in a channel or thread (after edits; deleted ones gone), in order. */
  messages(channelId: string): DiscordMessage[] {
    return this.#messages.filter((m) => m.channel_id === channelId && !m.ephemeral).map(toPublic);
  }

  /** The message an interaction's original response became (after edits), or undefined. */
  original(token: string): DiscordMessage | undefined {
    const found = this.#find(this.#originalId(token));
    return found && toPublic(found);
  }

  /** Threads created: { id, name, parentChannelId, messageId }. */
  threads(): { id: string; name: string; parentChannelId: string; messageId: string }[] {
    return [...this.#threads.values()].map(({ autoArchive: _a, at: _t, ...thread }) => thread);
  }

  /** Application commands registered: { guildId?: string; commands: unknown[] } per PUT. */
  registrations(): { guildId?: string; commands: unknown[] }[] {
    return this.#registrations.map((r) => ({ ...r, commands: [...r.commands] }));
  }

  /** Ephemeral responses (flags & 64) by interaction token, in order: an ephemeral original and follow-ups. */
  ephemerals(token: string): DiscordMessage[] {
    const ids = this.#ephemerals.get(token) ?? [];
    return ids.flatMap((id) => this.#find(id) ?? []).map(toPublic);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/attachments/')) return this.#download(req, res, url.pathname);
    // Clients encode `@original` as `%40original` (discord.js does); Discord reads both.
    const below = url.pathname.startsWith(`${API}/`) ? url.pathname.slice(API.length) : url.pathname;
    const path = below.replace(/%40/gi, '@');
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      // Kept as text in `calls`; answered below.
    }
    this.calls.push({ method, path, body, at: Date.now() });

    const index = this.#failures.findIndex((f) => f.method === method && f.path.test(path));
    const failure = index >= 0 ? this.#failures.splice(index, 1)[0]?.failure : undefined;
    if (failure && 'code' in failure) return send(res, error(failure.status, failure.code, failure.message));
    if (failure && 'retryAfter' in failure) return rateLimited(res, failure.retryAfter);
    const answerLost = failure !== undefined;

    const found = url.pathname.startsWith(`${API}/`) ? this.#match(method, path) : undefined;
    if (!found) return send(res, error(404, 0, '404: Not Found'));
    const [route, params] = found;
    if (route.bot && req.headers.authorization !== `Bot ${this.botToken}`) {
      return send(res, error(401, 0, '401: Unauthorized'));
    }
    if (typeof body === 'string') return send(res, error(400, 50109, 'The request body contains invalid JSON.'));
    const answer = route.handle(params, body);
    if (answerLost) return void req.socket.destroy();
    send(res, answer);
  }

  #match(method: string, path: string): [Route, Params] | undefined {
    for (const route of this.#routes) {
      const m = route.method === method ? route.pattern.exec(path) : null;
      if (m) return [route, { ...m.groups }];
    }
    return undefined;
  }

  #callback(p: Params, body: unknown): Answer {
    const interaction = this.#interactions.get(p.token ?? '');
    if (!interaction) return error(404, 10062, 'Unknown interaction');
    if (!isObject(body) || typeof body.type !== 'number') return invalidForm();
    if (interaction.acked) return error(400, 40060, 'Interaction has already been acknowledged.');
    const data = isObject(body.data) ? body.data : {};
    const token = p.token ?? '';
    switch (body.type) {
      case 4: {
        const answer = this.#create(interaction.channelId, data, true, token);
        if (answer.status !== 200) return answer;
        interaction.originalId = (answer.body as Body).id as string;
        break;
      }
      case 5:
        interaction.deferredEphemeral = ((Number(data.flags) || 0) & EPHEMERAL) !== 0;
        break;
      case 7: {
        const message = this.#find(interaction.componentMessageId);
        if (message) applyEdit(message, data);
        break;
      }
      // 6 (deferred update), 8 (autocomplete result), 9 (modal): acknowledged; the body is in `calls`.
      case 6:
      case 8:
      case 9:
        break;
      default:
        return invalidForm();
    }
    interaction.acked = true;
    return { status: 204 };
  }

  #followUp(p: Params, body: unknown): Answer {
    const [token, interaction] = this.#webhookInteraction(p);
    if (!interaction?.acked) return unknownWebhook();
    return this.#create(interaction.channelId, body, true, token);
  }

  #webhookMessage(p: Params): Answer {
    const message = this.#webhookTarget(p);
    return 'status' in message ? message : { status: 200, body: this.#entity(message) };
  }

  #webhookEdit(p: Params, body: unknown): Answer {
    if (!isObject(body)) return invalidForm();
    const [token, interaction] = this.#webhookInteraction(p);
    // After a deferral the first edit of @original is what creates the message.
    if (interaction?.acked && p.message === '@original' && !this.#originalId(token)) {
      // The deferral decided whether the message is ephemeral; the edit cannot change that.
      const flags = ((Number(body.flags) || 0) & ~EPHEMERAL) | (interaction.deferredEphemeral ? EPHEMERAL : 0);
      const answer = this.#create(interaction.channelId, { ...body, flags }, true, token);
      if (answer.status === 200) interaction.originalId = (answer.body as Body).id as string;
      return answer;
    }
    const message = this.#webhookTarget(p);
    if ('status' in message) return message;
    applyEdit(message, body);
    return { status: 200, body: this.#entity(message) };
  }

  #webhookDelete(p: Params): Answer {
    const message = this.#webhookTarget(p);
    if ('status' in message) return message;
    this.#messages.splice(this.#messages.indexOf(message), 1);
    return { status: 204 };
  }

  /** The message a webhook route names (`@original` or an id from this interaction's channel), or the error. */
  #webhookTarget(p: Params): Stored | Answer {
    const [token, interaction] = this.#webhookInteraction(p);
    if (!interaction?.acked) return unknownWebhook();
    const id = p.message === '@original' ? this.#originalId(token) : p.message;
    const message = this.#find(id);
    const ours = message && (message.channel_id === interaction.channelId || id === interaction.componentMessageId);
    return ours ? message : unknownMessage();
  }

  /** The token of a webhook route and its interaction: unknown when the application id is not ours. */
  #webhookInteraction(p: Params): [string, Interaction | undefined] {
    const token = p.token ?? '';
    return [token, p.app === this.applicationId ? this.#interactions.get(token) : undefined];
  }

  #originalId(token: string): string | undefined {
    const interaction = this.#interactions.get(token);
    return interaction?.originalId ?? (interaction?.acked ? interaction.componentMessageId : undefined);
  }

  #getMessage(p: Params): Answer {
    const message = this.#find(p.message);
    if (!message || message.ephemeral || message.channel_id !== p.channel) return unknownMessage();
    return { status: 200, body: this.#entity(message) };
  }

  #editMessage(p: Params, body: unknown): Answer {
    if (!isObject(body)) return invalidForm();
    const message = this.#find(p.message);
    if (!message || message.ephemeral || message.channel_id !== p.channel) return unknownMessage();
    applyEdit(message, body);
    return { status: 200, body: this.#entity(message) };
  }

  #deleteMessage(p: Params): Answer {
    const message = this.#find(p.message);
    if (!message || message.ephemeral || message.channel_id !== p.channel) return unknownMessage();
    this.#messages.splice(this.#messages.indexOf(message), 1);
    return { status: 204 };
  }

  /** Creates a message; `byWebhook` keeps flags 64 (ephemeral; listed under `token`), bots may not set it. */
  #create(channelId: string, body: unknown, byWebhook: boolean, token?: string): Answer {
    if (!isObject(body)) return invalidForm();
    const content = typeof body.content === 'string' ? body.content : '';
    const embeds = Array.isArray(body.embeds) ? body.embeds : [];
    const components = Array.isArray(body.components) ? body.components : [];
    if (content === '' && embeds.length === 0 && components.length === 0) {
      return error(400, 50006, 'Cannot send an empty message');
    }
    // A nonce enforced: the author's message with it from the last few minutes is the answer.
    const nonce = typeof body.nonce === 'string' || typeof body.nonce === 'number' ? String(body.nonce) : undefined;
    if (nonce !== undefined && nonce.length > 25) return invalidForm();
    if (nonce !== undefined && body.enforce_nonce === true) {
      const earlier = this.#messages.find((m) => m.nonce === nonce && m.channel_id === channelId);
      if (earlier) return { status: 200, body: this.#entity(earlier) };
    }
    const flags = Number(body.flags) || 0;
    const ephemeral = byWebhook && (flags & EPHEMERAL) !== 0;
    const message: Stored = {
      ...{ id: this.#nextId(), channel_id: channelId, content, ephemeral, timestamp: now(), edited_timestamp: null },
      ...(embeds.length > 0 && { embeds }),
      ...(components.length > 0 && { components }),
      ...(flags !== 0 && { flags: byWebhook ? flags : flags & ~EPHEMERAL }),
      ...(nonce !== undefined && { nonce }),
    };
    this.#messages.push(message);
    if (ephemeral && token) this.#ephemerals.set(token, [...(this.#ephemerals.get(token) ?? []), message.id]);
    return { status: 200, body: this.#entity(message) };
  }

  #thread(p: Params, body: unknown): Answer {
    if (!isObject(body) || typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) {
      return invalidForm();
    }
    const message = this.#find(p.message);
    if (!message || message.ephemeral || message.channel_id !== p.channel) return unknownMessage();
    if (this.#threads.has(message.id)) return error(400, 160004, 'A thread has already been created for this message');
    const autoArchive = Number(body.auto_archive_duration) || 1440;
    const { id, channel_id: parentChannelId } = message;
    const thread: Thread = { id, name: body.name, parentChannelId, messageId: id, autoArchive, at: now() };
    this.#threads.set(thread.id, thread);
    message.thread = { id: thread.id, name: thread.name };
    return { status: 201, body: threadEntity(thread, this.applicationId) };
  }

  #register(p: Params, body: unknown): Answer {
    if (p.app !== this.applicationId) return error(403, 50001, 'Missing Access');
    if (!Array.isArray(body) || !body.every(isObject)) return invalidForm();
    const defaults = { type: 1, description: '', default_member_permissions: null, nsfw: false };
    const commands = body.map((c) => ({
      ...{ id: this.#nextId(), application_id: this.applicationId, version: this.#nextId(), ...defaults },
      ...(p.guild && { guild_id: p.guild }),
      ...c,
    }));
    this.#registrations.push({ ...(p.guild && { guildId: p.guild }), commands });
    return { status: 200, body: commands };
  }

  #download(req: IncomingMessage, res: ServerResponse, path: string): void {
    const file = this.#attachments.get(path);
    if (!file)
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('This content is no longer available.');
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) });
    res.end(req.method === 'HEAD' ? undefined : file.bytes);
  }

  #find(id: string | undefined): Stored | undefined {
    return id === undefined ? undefined : this.#messages.find((m) => m.id === id);
  }

  #nextId(): string {
    this.#snowflake += 1n;
    return String(this.#snowflake);
  }

  #user(): Body {
    return { id: this.applicationId, ...BOT_USER };
  }

  #entity(m: Stored): Body {
    return messageEntity(m, this.applicationId, m.thread && this.#threads.get(m.thread.id));
  }
}
