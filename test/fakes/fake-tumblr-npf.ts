import type { IncomingMessage } from 'node:http';

/** One NPF content block as FakeTumblrServer stores it. */
export interface FakeNpfBlock {
  type: string;
  text?: string;
  alt_text?: string;
  formatting?: unknown[];
  media?: unknown;
  url?: string;
  title?: string;
  description?: string;
  poster?: unknown;
}

export interface ParsedNpfPost {
  content: FakeNpfBlock[];
  slug?: string;
  state?: string;
  /** Uploaded parts by identifier: their type and size. */
  uploads: Record<string, { type: string; size: number }>;
  /** `json` or `multipart`. */
  encoding: string;
}

/** What Tumblr's create endpoint refuses with 400 and a subcode (api.md, "Errors and Error Subcodes"). */
export type NpfRefusal = { error: string; code: number };

const blockTypes = new Set(['text', 'image', 'link', 'audio', 'video', 'paywall']);

/**
 * Reads an NPF create request (JSON, or multipart with a `json` part and one part per media
 * identifier) and checks it the way Tumblr does: the documented block types only, the
 * required fields of each block (a text block's `text`, a link block's `url`, an upload for each
 * media identifier of the right kind) and NPF's limits (npf-spec.md, "Post Content Limits").
 */
export async function parseNpfPost(req: IncomingMessage, url: URL, body: Buffer): Promise<ParsedNpfPost | NpfRefusal> {
  const type = req.headers['content-type'] ?? '';
  let json: Record<string, unknown>;
  const uploads: ParsedNpfPost['uploads'] = {};
  try {
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request(url, { method: 'POST', headers: { 'content-type': type }, body }).formData();
      const part = form.get('json');
      if (part === null) return { error: "the 'json' part is missing", code: 8001 };
      json = JSON.parse(typeof part === 'string' ? part : await part.text());
      for (const [name, value] of form.entries()) {
        if (name !== 'json' && value instanceof Blob) uploads[name] = { type: value.type, size: value.size };
      }
    } else if (type.startsWith('application/json')) {
      json = JSON.parse(body.toString('utf8') || '{}');
    } else {
      return { error: 'unsupported content type', code: 8001 };
    }
  } catch {
    return { error: 'the NPF JSON cannot be parsed', code: 8001 };
  }
  const content = json.content;
  if (!Array.isArray(content) || content.length === 0)
    return { error: "'content' must be a non-empty array", code: 8001 };
  const blocks = content as FakeNpfBlock[];
  for (const b of blocks) {
    if (!blockTypes.has(b.type)) return { error: `unknown content block type ${String(b.type)}`, code: 8001 };
    if (b.type === 'text') {
      if (typeof b.text !== 'string') return { error: "a text block needs 'text'", code: 8001 };
      if ([...b.text].length > 4096) return { error: 'text blocks may be at most 4096 characters', code: 8001 };
    }
    if (b.type === 'link' && (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url))) {
      return { error: "a link block needs a 'url'", code: 8001 };
    }
    if (b.type === 'image' || b.type === 'video') {
      const media = (Array.isArray(b.media) ? b.media[0] : b.media) as { identifier?: string } | undefined;
      const upload = media?.identifier ? uploads[media.identifier] : undefined;
      if (!upload) return { error: `no upload for media identifier ${media?.identifier}`, code: 8001 };
      if (!upload.type.startsWith(`${b.type}/`)) return { error: 'invalid media format', code: 8005 };
    }
  }
  const count = (t: string) => blocks.filter((b) => b.type === t).length;
  if (count('image') > 30) return { error: 'too many image blocks', code: 8001 };
  if (count('link') > 10) return { error: 'too many link blocks', code: 8001 };
  if (count('video') > 1) return { error: 'only one uploaded video per post', code: 8001 };
  return {
    content: blocks,
    uploads,
    encoding: type.startsWith('multipart') ? 'multipart' : 'json',
    ...(typeof json.slug === 'string' ? { slug: json.slug } : {}),
    ...(typeof json.state === 'string' ? { state: json.state } : {}),
  };
}

/** Tumblr lowercases a slug and turns anything else than letters and digits into hyphens. */
export function normalizeSlug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
