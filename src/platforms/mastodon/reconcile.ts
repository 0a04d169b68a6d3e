import type { PublishInput } from '../platform.js';
import { type MastodonApi, type MastodonStatus, site } from './api.js';

/** What publish saves (with `saveCheckpoint`) just before it creates the status. */
export interface MastodonCheckpoint {
  /** Uploaded attachments, reused by a retry instead of uploading again. */
  mediaIds: string[];
  /** When the attempt first asked to create the status (epoch ms, our clock). */
  postingAt: number;
}

export function readCheckpoint(raw: Record<string, unknown> | undefined): MastodonCheckpoint | undefined {
  if (!raw || typeof raw.postingAt !== 'number' || !Array.isArray(raw.mediaIds)) return undefined;
  if (!raw.mediaIds.every((id) => typeof id === 'string')) return undefined;
  return { mediaIds: raw.mediaIds as string[], postingAt: raw.postingAt };
}

export interface ReconcileLimits {
  /** Statuses per page (Mastodon serves at most 40). */
  pageSize: number;
  /** Pages looked through at most. */
  pages: number;
  /** Tolerated difference between our clock and the instance's. */
  clockSkewMs: number;
}

/**
 * Finds the status an earlier attempt at `input.key` created, among the account's latest
 * (`GET /api/v1/accounts/:id/statuses`, newest first): one created after the attempt began
 * (minus clock skew), in reply to the same parent (or to none), with the same attachments and
 * the same text once Mastodon's HTML is turned back into text.
 *
 * Limits:
 * - Mastodon cannot be asked by Idempotency-Key. Within about an hour that does not matter: a
 *   second publish sends the same key and gets the first status back. Past that, this search
 *   is all there is.
 * - No checkpoint with `postingAt` means the attempt never reached `POST /api/v1/statuses`, so
 *   nothing was created: null.
 * - Only `pages × pageSize` statuses are read, stopping at the first one older than the attempt;
 *   an account that posted more than that since is not searched further (null: a repost).
 * - Direct-visibility statuses are not listed by that endpoint, and a status edited or deleted
 *   since no longer matches; both give null and so a second post.
 * - The text comparison is on rendered HTML: whitespace is collapsed and `@user@domain` compared
 *   as `@user`; an instance that rewrites text further (Markdown on glitch-soc) may not match.
 * - Two identical statuses with the same parent and media in the window are taken as one.
 */
export async function findEarlierStatus(
  api: MastodonApi,
  accountId: string,
  input: PublishInput,
  limits: ReconcileLimits,
): Promise<MastodonStatus | null> {
  const checkpoint = readCheckpoint(input.checkpoint);
  if (!checkpoint) return null;
  const since = checkpoint.postingAt - limits.clockSkewMs;
  const want = normalize(input.content.text);
  const parent = input.replyTo?.parent.remoteId ?? null;
  const media = checkpoint.mediaIds.join(',');
  const at = site('GET', '/api/v1/accounts/:id/statuses');
  let maxId: string | undefined;
  for (let page = 0; page < limits.pages; page++) {
    const params = { limit: limits.pageSize, excludeReblogs: true, ...(maxId ? { maxId } : {}) };
    // One page: the paginator masto returns is awaited once (its first page), not iterated.
    const statuses = await api.call(at, input.signal, (c) =>
      c.v1.accounts.$select(encodeURIComponent(accountId)).statuses.list(params),
    );
    for (const s of statuses) {
      if (Date.parse(s.createdAt) < since) return null;
      const sameMedia = (s.mediaAttachments ?? []).map((m) => m.id).join(',') === media;
      if ((s.inReplyToId ?? null) === parent && sameMedia && normalize(htmlToText(s.content)) === want) return s;
    }
    if (statuses.length < limits.pageSize) return null;
    maxId = statuses.at(-1)?.id;
  }
  return null;
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
export function normalize(text: string): string {
  return text
    .replace(/(^|[^\w/])(@\w+)@[\w.-]+\w/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}
