import type { IncomingMessage, ServerResponse } from 'node:http';

// The Slack Web API's wire format as FakeSlackApi speaks it: request arguments, answers, entities.

export type Args = Record<string, unknown>;
export type Answer = Record<string, unknown>;

/** Form fields Slack takes as JSON-encoded strings. */
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];

export const fail = (error: string): Answer => ({ ok: false, error });
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** files.info's `file`, with its private URLs on the fake's origin. */
export function fileEntity(
  origin: string,
  teamId: string,
  botUserId: string,
  id: string,
  file: { bytes: Uint8Array; name: string; mimetype: string; created: number } | undefined,
): Answer & { url_private: string; url_private_download: string } {
  if (!file) throw new Error(`no file ${id}`);
  const base = `${origin}/files-pri/${teamId}-${id}`;
  const name = encodeURIComponent(file.name);
  return {
    id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.name,
    mimetype: file.mimetype,
    filetype: filetype(file.name, file.mimetype),
    pretty_type: filetype(file.name, file.mimetype).toUpperCase(),
    user: botUserId,
    mode: 'hosted',
    is_external: false,
    is_public: false,
    size: file.bytes.byteLength,
    url_private: `${base}/${name}`,
    url_private_download: `${base}/download/${name}`,
    permalink: `${origin}/files/${botUserId}/${id}/${name}`,
  };
}

/** users.info's `user`, with the zone's label and offset as Slack gives them. */
export function userEntity(teamId: string, id: string, user: { tz: string; name: string; admin: boolean }): Answer {
  return {
    id,
    team_id: teamId,
    name: user.name,
    deleted: false,
    is_admin: user.admin,
    is_owner: false,
    real_name: user.name,
    tz: user.tz,
    tz_label: tzLabel(user.tz),
    tz_offset: tzOffsetSeconds(user.tz),
    profile: { real_name: user.name, display_name: user.name, team: teamId },
    is_bot: false,
    is_app_user: false,
    updated: Math.floor(Date.now() / 1000),
  };
}

/** text and blocks of chat.postMessage / update / postEphemeral, or Slack's error code for them. */
export function messageContent(a: Args): { text?: string; blocks?: unknown[] } | string {
  if (a.blocks !== undefined && !Array.isArray(a.blocks)) return 'invalid_blocks_format';
  const text = str(a.text);
  const blocks = Array.isArray(a.blocks) && a.blocks.length > 0 ? a.blocks : undefined;
  if (!text && !blocks) return 'no_text';
  return { ...(text !== undefined && { text }), ...(blocks && { blocks }) };
}

/** Query string plus body (form-encoded, or JSON), with JSON-encoded fields parsed; the token from the header or a `token` field. */
export async function readArgs(
  req: IncomingMessage,
  url: URL,
): Promise<{ args: Args; token?: string; invalid?: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const args: Args = Object.fromEntries(url.searchParams);
  if (type === 'application/json') {
    try {
      Object.assign(args, body ? JSON.parse(body) : {});
    } catch {
      return { args, invalid: 'invalid_json' };
    }
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(body)));
  }
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as the string; the method answers it as malformed.
    }
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? str(args.token);
  delete args.token;
  return token ? { args, token } : { args };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

export function isObject(v: unknown): v is Args {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function filetype(name: string, mimetype: string): string {
  const ext = /\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? mimetype.split('/')[1] ?? 'binary';
  return ext === 'jpeg' ? 'jpg' : ext;
}

/** The zone's offset from UTC now, in seconds, as users.info's `tz_offset`. */
export function tzOffsetSeconds(tz: string, at = new Date()): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

/** "Pacific Standard Time", as users.info's `tz_label`. */
export function tzLabel(tz: string, at = new Date()): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? tz
  );
}
