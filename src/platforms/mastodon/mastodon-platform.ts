import { createHash } from 'node:crypto';
import { PlatformError } from '../../core/errors.js';
import { call, defaultSleep, type CallSite } from '../http.js';
import type {
  AccountContext,
  Platform,
  PlatformDeps,
  PublishInput,
  PublishResult,
  ResolvedContent,
  ValidationIssue,
} from '../platform.js';
import { type MastodonCredentials, parseCredentials } from './credentials.js';
import { toPlatformError } from './errors.js';
import { countCharacters, type InstanceLimits, InstanceLimitsCache, rulesFor } from './instance.js';

export interface MastodonOptions {
  /** How often to ask whether uploaded media is processed. */
  mediaPollMs: number;
  /** How many times to ask before giving up (transient: the next attempt asks again). */
  mediaPolls: number;
  /** How many of the account's latest statuses reconcile looks through. */
  reconcileDepth: number;
}

const defaults = { mediaPollMs: 2_000, mediaPolls: 30, reconcileDepth: 40 } as const satisfies MastodonOptions;

const site = (method: CallSite['method'], route: string): CallSite => ({ platform: 'mastodon', method, route });

interface Status {
  id: string;
  url: string | null;
  uri: string;
  content: string;
  in_reply_to_id: string | null;
}

/**
 * The Mastodon adapter, for any instance, over the REST API with plain fetch (masto's client
 * takes no injected fetch per call, which the tests and the per-call deadlines need). Limits come
 * from the instance and are cached. Every status is created with an `Idempotency-Key` derived
 * from the delivery's key, so a retry within Mastodon's window returns the same status; media ids
 * are saved as a checkpoint so a retry does not upload them again.
 *
 * Credentials: see credentials.ts.
 */
export function createMastodonPlatform(deps: PlatformDeps, options: Partial<MastodonOptions> = {}): Platform {
  const opts = { ...defaults, ...options };
  const instances = new InstanceLimitsCache(deps);
  const sleep = deps.sleep ?? defaultSleep;

  const api = async (
    creds: MastodonCredentials,
    at: CallSite,
    path: string,
    signal: AbortSignal,
    init: { body?: RequestInit['body']; json?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { authorization: `Bearer ${creds.accessToken}`, ...init.headers };
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    return call(deps, at, `${creds.instanceUrl}${path}`, { headers, body, signal });
  };

  const ok = async <T>(answer: Promise<Awaited<ReturnType<typeof api>>>, at: CallSite): Promise<T> => {
    const a = await answer;
    if (a.status >= 200 && a.status < 300) return a.body as T;
    throw toPlatformError(a, at);
  };

  async function accountId(creds: MastodonCredentials, signal: AbortSignal): Promise<string> {
    if (creds.accountId) return creds.accountId;
    const at = site('GET', '/api/v1/accounts/verify_credentials');
    const me = await ok<{ id: string }>(api(creds, at, at.route, signal), at);
    return me.id;
  }

  async function uploadMedia(creds: MastodonCredentials, input: PublishInput): Promise<string[]> {
    const saved = input.checkpoint?.mediaIds;
    if (Array.isArray(saved) && saved.length === input.content.media.length) return saved as string[];
    const ids: string[] = [];
    for (const item of input.content.media) {
      const media = await input.loadMedia(item, input.signal);
      const form = new FormData();
      form.append('file', new Blob([media.bytes], { type: media.mimeType }), `media.${extension(media.mimeType)}`);
      if (item.alt) form.append('description', item.alt);
      const at = site('POST', '/api/v2/media');
      const answer = await api(creds, at, at.route, input.signal, { body: form });
      if (answer.status !== 200 && answer.status !== 202) throw toPlatformError(answer, at);
      const uploaded = answer.body as { id: string; url: string | null };
      if (answer.status === 202 || uploaded.url === null) await waitProcessed(creds, uploaded.id, input.signal);
      ids.push(uploaded.id);
    }
    if (ids.length > 0) await input.saveCheckpoint({ mediaIds: ids });
    return ids;
  }

  /** Video and GIFs are processed after the upload: `GET /api/v1/media/:id` answers 206 until done. */
  async function waitProcessed(creds: MastodonCredentials, id: string, signal: AbortSignal): Promise<void> {
    const at = site('GET', '/api/v1/media/:id');
    for (let i = 0; i < opts.mediaPolls; i++) {
      await sleep(opts.mediaPollMs, signal);
      const answer = await api(creds, at, `/api/v1/media/${encodeURIComponent(id)}`, signal);
      if (answer.status === 200 && (answer.body as { url: string | null }).url) return;
      if (answer.status !== 206 && answer.status !== 200) throw toPlatformError(answer, at);
    }
    throw new PlatformError(
      'transient',
      `Mastodon is still processing an attachment after ${opts.mediaPolls} checks.`,
      {
        platform: 'mastodon',
        route: at.route,
      },
    );
  }

  const resultOf = (s: Status): PublishResult => ({ remoteId: s.id, url: s.url ?? s.uri });

  async function limitsFor(ctx: AccountContext): Promise<InstanceLimits> {
    return instances.get(parseCredentials(ctx.credentials).instanceUrl, ctx.signal);
  }

  return {
    id: 'mastodon',

    rules: async (ctx) => rulesFor(await limitsFor(ctx)),

    async validate(content, ctx) {
      return validateContent(content, await limitsFor(ctx));
    },

    async verify(credentials, signal) {
      const creds = parseCredentials(credentials);
      const at = site('GET', '/api/v1/accounts/verify_credentials');
      const me = await ok<{ id: string; username: string }>(api(creds, at, at.route, signal), at);
      const host = new URL(creds.instanceUrl).host;
      return {
        handle: `@${me.username}@${host}`,
        remoteId: me.id,
        credentials: { ...credentials, instanceUrl: creds.instanceUrl, accountId: me.id },
      };
    },

    async publish(input) {
      const creds = parseCredentials(input.credentials);
      const mediaIds = await uploadMedia(creds, input);
      const { text, options } = input.content;
      const at = site('POST', '/api/v1/statuses');
      const status = await ok<Status>(
        api(creds, at, at.route, input.signal, {
          headers: { 'idempotency-key': idempotencyKey(input.key) },
          json: {
            status: text,
            ...(mediaIds.length > 0 ? { media_ids: mediaIds } : {}),
            ...(input.replyTo ? { in_reply_to_id: input.replyTo.parent.remoteId } : {}),
            ...(options?.visibility ? { visibility: options.visibility } : {}),
            ...(options?.contentWarning ? { spoiler_text: options.contentWarning } : {}),
            ...(options?.language ? { language: options.language } : {}),
          },
        }),
        at,
      );
      return resultOf(status);
    },

    /**
     * Looks through the account's latest statuses for one with this text (and this reply
     * parent). Mastodon cannot be asked by idempotency key, and a status's text is only kept as
     * HTML, so this compares the text with the tags taken out. Two identical statuses in a row
     * from the same account are taken as one: the worst case is a post not repeated.
     */
    async reconcile(input) {
      const creds = parseCredentials(input.credentials);
      const id = await accountId(creds, input.signal);
      const at = site('GET', '/api/v1/accounts/:id/statuses');
      const statuses = await ok<Status[]>(
        api(
          creds,
          at,
          `/api/v1/accounts/${encodeURIComponent(id)}/statuses?limit=${opts.reconcileDepth}`,
          input.signal,
        ),
        at,
      );
      const want = normalize(input.content.text);
      const parent = input.replyTo?.parent.remoteId ?? null;
      const found = statuses.find(
        (s) => normalize(htmlToText(s.content)) === want && (parent === null || s.in_reply_to_id === parent),
      );
      return found ? resultOf(found) : null;
    },
  };
}

/** The same key on every attempt at one post: Mastodon returns the first status for a repeat. */
export function idempotencyKey(key: string): string {
  return `hayon-${createHash('sha256').update(`hayon:mastodon:${key}`).digest('hex').slice(0, 40)}`;
}

export function validateContent(content: ResolvedContent, limits: InstanceLimits): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  if (text.trim() === '' && media.length === 0) {
    issues.push({ field: 'text', code: 'invalid_request', message: 'A Mastodon post needs text or media.' });
  }
  const length = countCharacters(text, limits);
  const max = limits.maxCharacters;
  if (length > max) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Mastodon by ${length - max} characters (${length} of ${max}; links count ${limits.charactersReservedPerUrl}).`,
    });
  }
  if (media.length > limits.maxMediaAttachments) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `This Mastodon instance takes at most ${limits.maxMediaAttachments} attachments per post (${media.length} given).`,
    });
  }
  media.forEach((item, i) => {
    const alt = item.alt ? [...item.alt].length : 0;
    if (alt > limits.descriptionLimit) {
      issues.push({
        field: `media[${i}].alt`,
        code: 'content_too_long',
        message: `Alt text of attachment ${i + 1} is too long for Mastodon (${alt} of ${limits.descriptionLimit} characters).`,
      });
    }
  });
  return issues;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A status's HTML as the text it was written from: paragraphs, line breaks and entities restored. */
export function htmlToText(html: string): string {
  return html
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[\da-f]+|#\d+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) ? String.fromCodePoint(code) : m;
      }
      return entities[e.toLowerCase()] ?? m;
    });
}

/** Whitespace collapsed; remote mentions shortened the way Mastodon renders them. */
function normalize(text: string): string {
  return text
    .replace(/(^|[^\w/])(@\w+)@[\w.-]+\w/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function extension(mimeType: string): string {
  return mimeType.split('/')[1]?.replace('jpeg', 'jpg').replace('quicktime', 'mov') ?? 'bin';
}
