/**
 * The request shapes FakeMetaGraphServer holds Threads and Instagram calls to, from their
 * references (developers.facebook.com/docs/threads, Instagram Platform "IG User Media" and
 * "IG Container"): which fields each node has, and what a container needs. What the real API
 * refuses, the fake refuses with the same kind of answer (code 100, the parameter named).
 */
import { type GraphErrorEnvelope, graphErrorEnvelope } from './fake-meta-errors.js';

/** The APIs the fake serves: `POST /{user}/threads` (Threads) and `POST /{user}/media` (Instagram). */
export type MetaApi = 'threads' | 'instagram';

/** Documented fields per node type; asking for another is refused ("Tried accessing nonexisting field"). */
const nodeFields = {
  User: ['id', 'username', 'name', 'biography', 'threads_biography', 'threads_profile_picture_url', 'media_count'],
  ThreadsContainer: ['id', 'status', 'error_message'],
  // An IG Container has no `error_message`: when ERROR, `status` holds the reason.
  IGContainer: ['id', 'status', 'status_code', 'copyright_check_status'],
  ThreadsMedia: [
    'id',
    'media_product_type',
    'media_type',
    'media_url',
    'permalink',
    'owner',
    'username',
    'text',
    'timestamp',
    'shortcode',
    'thumbnail_url',
    'children',
    'is_quote_post',
    'alt_text',
    'link_attachment_url',
    'has_replies',
    'is_reply',
    'root_post',
    'replied_to',
  ],
  IGMedia: [
    'id',
    'caption',
    'media_product_type',
    'media_type',
    'media_url',
    'permalink',
    'owner',
    'username',
    'timestamp',
    'shortcode',
    'thumbnail_url',
    'children',
    'alt_text',
    'like_count',
    'comments_count',
  ],
  ThreadsPublishingLimit: ['quota_usage', 'config', 'reply_quota_usage', 'reply_config'],
  IGContentPublishingLimit: ['quota_usage', 'config'],
} as const;

export type MetaNode = keyof typeof nodeFields;

/** Meta's refusal of a field the node does not have, or undefined when every asked field exists. */
export function unknownField(fields: string | undefined, node: MetaNode): GraphErrorEnvelope | undefined {
  const known: readonly string[] = nodeFields[node];
  const wrong = (fields ?? '').split(',').find((f) => f !== '' && !known.includes(f.replace(/[{.].*$/, '')));
  return wrong
    ? graphErrorEnvelope(100, `Tried accessing nonexisting field (${wrong}) on node type (${node})`)
    : undefined;
}

/** A container the fake made, as the checks need it. */
export interface ChildContainer {
  params: Record<string, string>;
  ready: boolean;
}

/** What a container-creating request means, or why Meta refuses it. */
export type ContainerCheck = { ok: true; mediaType: string } | { ok: false; status: number; body: GraphErrorEnvelope };

const threadsTypes = ['TEXT', 'IMAGE', 'VIDEO', 'CAROUSEL'];
/** Instagram: no `media_type` is an image; `VIDEO` only as a carousel item since November 2023. */
const instagramTypes = ['IMAGE', 'REELS', 'STORIES', 'VIDEO', 'CAROUSEL'];

/**
 * Checks `POST /{user}/threads` or `/{user}/media` as the reference describes them: the media
 * type and the URL it needs, text within its limit, `link_attachment` on Threads TEXT posts only,
 * `alt_text` on Instagram images only, a carousel of 2 to 20 (Threads) or 10 (Instagram) ready
 * carousel items, a reply to a post that exists.
 */
export function checkContainer(
  api: MetaApi,
  p: Record<string, string>,
  lookup: { child(id: string): ChildContainer | undefined; published(id: string): boolean },
): ContainerCheck {
  const refuse = (message: string, code = 100, subcode?: number): ContainerCheck => ({
    ok: false,
    status: 400,
    body: graphErrorEnvelope(code, message, subcode === undefined ? {} : { subcode }),
  });
  const threads = api === 'threads';
  const type = p.media_type ?? (threads ? '' : 'IMAGE');
  const allowed = threads ? threadsTypes : instagramTypes;
  if (!allowed.includes(type)) return refuse(`(#100) Param media_type must be one of {${allowed.join(', ')}}`);
  const textParam = threads ? 'text' : 'caption';
  const text = p[textParam] ?? '';
  const max = threads ? 500 : 2200;
  if ([...text].length > max) return refuse(`(#100) Param ${textParam} must be at most ${max} characters long`);
  if (threads && type === 'TEXT' && !text) return refuse('(#100) The parameter text is required for TEXT posts');
  if (type === 'IMAGE' && !p.image_url) return refuse('(#100) The parameter image_url is required');
  if (['VIDEO', 'REELS'].includes(type) && !p.video_url) return refuse('(#100) The parameter video_url is required');
  if (!threads && type === 'VIDEO' && p.is_carousel_item !== 'true') {
    return refuse('(#100) The VIDEO media type is no longer supported for feed videos; use REELS');
  }
  if (p.link_attachment !== undefined) {
    if (!threads || type !== 'TEXT') return refuse('(#100) Param link_attachment is only available for TEXT posts');
    if (!/^https?:\/\/\S+$/.test(p.link_attachment)) return refuse('(#100) Param link_attachment must be a valid URL');
  }
  if (!threads && p.alt_text !== undefined && type !== 'IMAGE') {
    return refuse('(#100) Param alt_text is only supported on image posts');
  }
  if (type === 'CAROUSEL') {
    const children = (p.children ?? '').split(',').filter(Boolean);
    const most = threads ? 20 : 10;
    if (children.length < 2 || children.length > most) {
      return refuse(`(#100) A carousel has 2 to ${most} children (${children.length} given)`);
    }
    for (const id of children) {
      const child = lookup.child(id);
      if (child?.params.is_carousel_item !== 'true') return refuse(`(#100) Child ${id} is not a carousel item`);
      if (!child.ready) return refuse('Media ID is not available', 9007, 2207027);
    }
  }
  if (p.reply_to_id !== undefined && (!threads || !lookup.published(p.reply_to_id))) {
    return refuse(`(#100) Reply target ${p.reply_to_id} does not exist`);
  }
  return { ok: true, mediaType: type };
}
