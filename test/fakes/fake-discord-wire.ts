import type { IncomingMessage, ServerResponse } from 'node:http';

// Discord's REST API v10 wire format as FakeDiscordApi speaks it: the records it keeps, its
// answers and errors, message and thread objects.

export interface DiscordCall {
  method: string;
  /** The route below `/api/v10`, without the query: `/channels/123/messages`. */
  path: string;
  body: unknown;
  at: number;
}

export interface DiscordMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  /** Set once a thread has been started from the message. */
  thread?: { id: string; name: string };
}

export type Answer = { status: number; body?: unknown };
export type Body = Record<string, unknown>;
export type Stored = DiscordMessage & {
  ephemeral: boolean;
  timestamp: string;
  edited_timestamp: string | null;
  /** The nonce it was sent with, if any (answered back, as Discord does). */
  nonce?: string;
};
export type Thread = {
  id: string;
  name: string;
  parentChannelId: string;
  messageId: string;
  autoArchive: number;
  at: string;
};

export const BOT_USER = { username: 'hayon', discriminator: '0', global_name: null, avatar: null, bot: true };

export const error = (status: number, code: number, message: string): Answer => ({ status, body: { message, code } });
export const unknownMessage = () => error(404, 10008, 'Unknown Message');
export const unknownWebhook = () => error(404, 10015, 'Unknown Webhook');
export const invalidForm = () => error(400, 50035, 'Invalid Form Body');
export const now = () => new Date().toISOString();
export const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The message object as Discord answers it (type 0, the bot as author), with its thread if it started one. */
export function messageEntity(m: Stored, applicationId: string, thread: Thread | undefined): Body {
  const { id, channel_id, content, timestamp, edited_timestamp } = m;
  return {
    ...{
      id,
      type: 0,
      channel_id,
      author: { id: applicationId, ...BOT_USER },
      content,
      timestamp,
      edited_timestamp,
      tts: false,
    },
    ...{ mention_everyone: false, mentions: [], mention_roles: [], attachments: [], pinned: false },
    ...{ embeds: m.embeds ?? [], components: m.components ?? [], flags: m.flags ?? 0 },
    ...(thread && { thread: threadEntity(thread, applicationId) }),
  };
}

/** A public thread started from a message (type 11). */
export function threadEntity(t: Thread, applicationId: string): Body {
  const counts = { rate_limit_per_user: 0, message_count: 0, member_count: 1, total_message_sent: 0, flags: 0 };
  const metadata = { archived: false, auto_archive_duration: t.autoArchive, locked: false };
  return {
    ...{ id: t.id, type: 11, parent_id: t.parentChannelId, owner_id: applicationId, name: t.name },
    ...{ last_message_id: null, ...counts },
    thread_metadata: { ...metadata, archive_timestamp: t.at, create_timestamp: t.at },
  };
}

export function toPublic(m: Stored): DiscordMessage {
  const { ephemeral: _e, timestamp: _t, edited_timestamp: _d, ...rest } = m;
  return { ...rest, ...(m.thread && { thread: { ...m.thread } }) };
}

/** A PATCH of a message: fields present replace, `null` clears (as Discord's edit endpoints). */
export function applyEdit(message: Stored, body: Body): void {
  if (body.content !== undefined) message.content = typeof body.content === 'string' ? body.content : '';
  for (const key of ['embeds', 'components'] as const) {
    const value = body[key];
    if (Array.isArray(value) && value.length > 0) message[key] = value;
    else if (value !== undefined) delete message[key];
  }
  message.edited_timestamp = now();
}

/** PNG and baseline/progressive JPEG dimensions, as Discord reports them for images. */
export function imageSize(b: Uint8Array): { width?: number; height?: number } {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.byteLength >= 24 && b[0] === 0x89 && b[1] === 0x50)
    return { width: view.getUint32(16), height: view.getUint32(20) };
  if (b[0] !== 0xff || b[1] !== 0xd8) return {};
  for (let i = 2; i + 9 < b.byteLength; i += 2 + view.getUint16(i + 2)) {
    const marker = b[i + 1] ?? 0;
    if (b[i] !== 0xff) return {};
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
  }
  return {};
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Discord's 429: Retry-After in whole seconds, the precise value in the body and X-RateLimit-Reset-After. */
export function rateLimited(res: ServerResponse, retryAfter: number): void {
  const body = { message: 'You are being rate limited.', retry_after: retryAfter, global: false };
  const headers = { 'retry-after': String(Math.ceil(retryAfter)), 'x-ratelimit-scope': 'user' };
  json(res, 429, body, { ...headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(retryAfter) });
}

export function send(res: ServerResponse, answer: Answer): void {
  if (answer.status === 204) return void res.writeHead(204).end();
  json(res, answer.status, answer.body);
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
