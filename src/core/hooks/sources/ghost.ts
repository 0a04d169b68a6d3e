import { textExcerpt } from '../plain-text.js';
import { ghostSignatureHeader, verifyGhost } from '../signature.js';
import { bodyObject, definedOnly, ignore, isObject, nonEmpty, quote } from './payload.js';
import { type HookEvent, type HookMedia, HookPayloadError, type HookRequest, type HookSource } from './source.js';

/**
 * A Ghost custom integration's webhook on "Post published". Ghost sends the post as the Admin
 * API shapes it, `{ "post": { "current": {…}, "previous": {…changed fields} } }` (see
 * https://docs.ghost.org/webhooks and ghost/core/core/server/services/webhooks/serialize.js in
 * TryGhost/Ghost), signed with `X-Ghost-Signature` (see signature.ts).
 */

/** How long the `excerpt` may be. */
export const ghostExcerptLength = 300;

const fields = {
  title: "the post's title",
  url: "the post's address on the site",
  excerpt: `the custom excerpt, else Ghost's automatic one, as plain text, at most ${ghostExcerptLength} characters`,
  slug: "the post's slug, the last part of its URL",
  authors: 'the authors\' names, joined with ", "',
  tags: 'the public tags\' names, joined with ", "',
  tagsHashtags: 'the public tags as hashtags (#GhostTips #News): spaces and punctuation removed',
} as const satisfies Record<string, string>;

export const ghostSource: HookSource = {
  id: 'ghost',
  signatureHeader: ghostSignatureHeader,
  verify: (req, secrets) => verifyGhost(req.headers(ghostSignatureHeader), req.body, secrets, req.nowMs),
  read: readGhost,
  defaultTemplate: '{{title}}\n\n{{excerpt?}}\n\n{{url}}',
  fields,
};

function readGhost(_req: HookRequest, json: unknown): HookEvent {
  const payload = bodyObject(json, 'a Ghost webhook payload, like {"post": {"current": {…}}}');
  if (!isObject(payload.post)) {
    if (isObject(payload.page)) {
      return ignore('Ghost sent a page, not a post; hayon announces published posts (use the "Post published" event).');
    }
    throw new HookPayloadError(
      'post.current',
      'Ghost sends the published post as post.current; this payload has no post.',
    );
  }
  const current = payload.post.current;
  if (!isObject(current)) {
    throw new HookPayloadError(
      'post.current',
      'Ghost sends the published post as post.current; this payload has none.',
    );
  }
  // post.deleted sends an empty `current` (the post is in `previous`).
  if (Object.keys(current).length === 0) {
    return ignore('Ghost sent no current post (it was deleted); hayon announces published posts.');
  }
  if (current.status !== undefined && current.status !== 'published') {
    return ignore(`Ghost post status ${quote(current.status)} is ignored; hayon announces published posts.`);
  }
  const tags = publicTagNames(current.tags);
  const excerpt = nonEmpty(current.custom_excerpt) ?? nonEmpty(current.excerpt) ?? nonEmpty(current.plaintext) ?? '';
  const out: Record<keyof typeof fields, unknown> = {
    title: stringOrUndefined(current.title),
    url: stringOrUndefined(current.url),
    excerpt: textExcerpt(excerpt, ghostExcerptLength),
    slug: stringOrUndefined(current.slug),
    authors: authorNames(current).join(', '),
    tags: tags.join(', '),
    tagsHashtags: tags
      .map((name) => name.replace(/[^\p{L}\p{N}_]/gu, ''))
      .filter((word) => word !== '')
      .map((word) => `#${word}`)
      .join(' '),
  };
  const id = nonEmpty(current.id);
  const updatedAt = nonEmpty(current.updated_at);
  return {
    kind: 'post',
    eventId: id && updatedAt ? `${id}:${updatedAt}` : undefined,
    fields: definedOnly(out),
    media: featureImage(current),
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function authorNames(post: Record<string, unknown>): string[] {
  const names = Array.isArray(post.authors)
    ? post.authors.flatMap((a) => (isObject(a) && nonEmpty(a.name) ? [(a.name as string).trim()] : []))
    : [];
  if (names.length > 0) return names;
  const primary = isObject(post.primary_author) ? nonEmpty(post.primary_author.name) : undefined;
  return primary ? [primary.trim()] : [];
}

/** Tag names, without Ghost's internal tags (`#hidden`: visibility "internal", name starting with #). */
function publicTagNames(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((tag) => {
    if (!isObject(tag) || tag.visibility === 'internal') return [];
    const name = nonEmpty(tag.name)?.trim();
    return name && !name.startsWith('#') ? [name] : [];
  });
}

function featureImage(post: Record<string, unknown>): HookMedia[] {
  const url = nonEmpty(post.feature_image);
  if (!url) return [];
  const alt = nonEmpty(post.feature_image_alt);
  return [alt ? { url, alt } : { url }];
}
