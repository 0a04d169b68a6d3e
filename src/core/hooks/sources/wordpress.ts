import { htmlExcerpt, htmlToText } from '../plain-text.js';
import { hayonSignatureHeader, verifyHayon } from '../signature.js';
import { bodyObject, definedOnly, idempotencyKey, ignore, isObject, nonEmpty, quote } from './payload.js';
import { type HookEvent, type HookMedia, HookPayloadError, type HookRequest, type HookSource } from './source.js';

/**
 * A published WordPress post, sent by a webhook plugin and signed with hayon's scheme
 * (`X-Hayon-Signature`, added by the plugin's header settings or a small snippet). Two shapes
 * are read:
 *
 * - WP Webhooks' "Post created" / "Post updated" triggers: `{ post_id, post: { ID, post_title,
 *   post_excerpt, post_content, post_status, post_modified_gmt, … }, post_permalink,
 *   post_thumbnail (a URL, or false), post_meta, taxonomies }` (the plugin's trigger
 *   documentation and demo data, wordpress/triggers/post_create.php in Ironikus/wp-webhooks).
 * - The REST API's post object, as a plugin that forwards `GET /wp/v2/posts/<id>?_embed` sends
 *   it: `{ id, status, link, modified_gmt, title: { rendered }, excerpt: { rendered },
 *   content: { rendered }, jetpack_featured_media_url?, _embedded?: { 'wp:featuredmedia':
 *   [{ source_url, alt_text }] } }` (https://developer.wordpress.org/rest-api/reference/posts/,
 *   https://developer.wordpress.org/rest-api/using-the-rest-api/linking-and-embedding/).
 *
 * Titles and excerpts are HTML in both (entities such as `&#8217;`, tags in the content), so
 * they are turned into plain text.
 */

/** How long the `excerpt` may be. */
export const wordpressExcerptLength = 300;

const fields = {
  title: "the post's title as plain text",
  url: "the post's permalink",
  excerpt: `the excerpt, else the start of the content, as plain text, at most ${wordpressExcerptLength} characters`,
  id: "the post's id in WordPress",
} as const satisfies Record<string, string>;

export const wordpressSource: HookSource = {
  id: 'wordpress',
  signatureHeader: hayonSignatureHeader,
  verify: (req, secrets) => verifyHayon(req.headers(hayonSignatureHeader), req.body, secrets, req.nowMs),
  read: readWordpress,
  defaultTemplate: '{{title}}\n\n{{excerpt?}}\n\n{{url}}',
  fields,
};

/** What both shapes say about a post, still as HTML where WordPress gives HTML. */
interface WordpressPost {
  id: string | undefined;
  status: string | undefined;
  modifiedGmt: string | undefined;
  titleHtml: string;
  url: string | undefined;
  /** The excerpt, or the content when the excerpt is empty. */
  summaryHtml: string;
  image: HookMedia | undefined;
}

const expected =
  'a WordPress post: {post_id, post: {post_title, …}, post_permalink} (WP Webhooks) or {id, link, title: {rendered}, …} (REST API shape)';

function readWordpress(req: HookRequest, json: unknown): HookEvent {
  const payload = bodyObject(json, expected);
  const post = fromWpWebhooks(payload) ?? fromRestApi(payload);
  if (!post) throw new HookPayloadError('body', `expected ${expected}; this body is neither.`);
  if (post.status !== undefined && post.status !== 'publish') {
    return ignore(`WordPress post status ${quote(post.status)} is ignored; hayon announces published posts.`);
  }
  const out: Record<keyof typeof fields, unknown> = {
    title: htmlToText(post.titleHtml),
    url: post.url,
    excerpt: htmlExcerpt(post.summaryHtml, wordpressExcerptLength),
    id: post.id,
  };
  const eventId =
    idempotencyKey(req) ?? (post.id !== undefined && post.modifiedGmt ? `${post.id}:${post.modifiedGmt}` : undefined);
  return { kind: 'post', eventId, fields: definedOnly(out), media: post.image ? [post.image] : [] };
}

function fromWpWebhooks(payload: Record<string, unknown>): WordpressPost | undefined {
  const post = payload.post;
  if (!isObject(post) || typeof post.post_title !== 'string') return undefined;
  const thumbnail = nonEmpty(payload.post_thumbnail);
  return {
    id: idOf(payload.post_id) ?? idOf(post.ID),
    status: typeof post.post_status === 'string' ? post.post_status : undefined,
    modifiedGmt: nonEmpty(post.post_modified_gmt),
    titleHtml: post.post_title,
    url: nonEmpty(payload.post_permalink) ?? nonEmpty(post.guid),
    summaryHtml: nonEmpty(post.post_excerpt) ?? (typeof post.post_content === 'string' ? post.post_content : ''),
    image: thumbnail ? { url: thumbnail } : undefined,
  };
}

function fromRestApi(payload: Record<string, unknown>): WordpressPost | undefined {
  const title = payload.title;
  if (!isObject(title) || typeof title.rendered !== 'string' || typeof payload.link !== 'string') return undefined;
  return {
    id: idOf(payload.id),
    status: typeof payload.status === 'string' ? payload.status : undefined,
    modifiedGmt: nonEmpty(payload.modified_gmt),
    titleHtml: title.rendered,
    url: nonEmpty(payload.link),
    summaryHtml: nonEmpty(htmlToText(rendered(payload.excerpt)))
      ? rendered(payload.excerpt)
      : rendered(payload.content),
    image: restFeaturedImage(payload),
  };
}

function rendered(field: unknown): string {
  return isObject(field) && typeof field.rendered === 'string' ? field.rendered : '';
}

/** The embedded media (it has alt text), else Jetpack's URL, else a common plugin's field. */
function restFeaturedImage(payload: Record<string, unknown>): HookMedia | undefined {
  const embedded = isObject(payload._embedded) ? payload._embedded['wp:featuredmedia'] : undefined;
  const media = Array.isArray(embedded) ? embedded[0] : undefined;
  if (isObject(media) && nonEmpty(media.source_url)) {
    const alt = nonEmpty(media.alt_text);
    const url = media.source_url as string;
    return alt ? { url, alt } : { url };
  }
  const url = nonEmpty(payload.jetpack_featured_media_url) ?? nonEmpty(payload.featured_image_url);
  return url ? { url } : undefined;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[0-9]+$/.test(value) && value !== '0') return value;
  return undefined;
}
