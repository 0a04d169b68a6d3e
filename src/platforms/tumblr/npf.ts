import { createHash } from 'node:crypto';
import { countCodePoints } from '../../core/text-length.js';

/** An NPF text block (tumblr/docs npf-spec.md, "Content Block Type: Text"). */
export interface NpfTextBlock {
  type: 'text';
  text: string;
  formatting?: { start: number; end: number; type: 'link'; url: string }[];
}

/** An uploaded media block: the bytes travel in the multipart part named `identifier`. */
export interface NpfMediaBlock {
  type: 'image' | 'video';
  media: { type: string; identifier: string }[] | { type: string; identifier: string };
  alt_text?: string;
}

/**
 * A link card (npf-spec.md, "Content Block Type: Link"): only `url` is required; with nothing
 * else, Tumblr fetches the page's Open Graph data itself when the post is created.
 */
export interface NpfLinkBlock {
  type: 'link';
  url: string;
  title?: string;
  description?: string;
  site_name?: string;
  /** An image media object (`url`, `type`, size) shown with the card. */
  poster?: { url: string; type?: string; width?: number; height?: number }[];
}

export type NpfBlock = NpfTextBlock | NpfMediaBlock | NpfLinkBlock;

/** What is known of a linked page (its Open Graph or Twitter tags). */
export interface LinkCard {
  url: string;
  title?: string | undefined;
  description?: string | undefined;
  siteName?: string | undefined;
  image?: { url: string; mimeType?: string | undefined; width?: number | undefined; height?: number | undefined };
}

/** One attachment as it is uploaded. */
export interface UploadPart {
  identifier: string;
  mimeType: string;
  alt?: string | undefined;
}

/** The text's paragraphs: split on blank lines, each trimmed, empty ones dropped. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

const urlPattern = /https?:\/\/[^\s<>"]+/g;

/** URLs in a text, without trailing punctuation (`see https://a.io/x.` links `https://a.io/x`). */
export function findLinks(text: string): { index: number; url: string }[] {
  return [...text.matchAll(urlPattern)].map((m) => ({ index: m.index, url: m[0].replace(/[.,;:!?)\]'"]+$/, '') }));
}

/** Whether an attachment is a video: by its type, else by a `.mp4`/`.mov` URL. */
export function isVideo(item: { url: string; mimeType?: string | undefined }): boolean {
  if (item.mimeType) return item.mimeType.startsWith('video/');
  return /\.(mp4|mov)(\?|#|$)/i.test(item.url);
}

/**
 * A paragraph as a text block. URLs stay in the text, as written, made clickable with inline
 * `link` formatting: link blocks would repeat every URL as a card below the text (and NPF allows
 * only 10 of them), while inline links keep the author's wording. Offsets count code points.
 */
export function textBlock(paragraph: string): NpfTextBlock {
  const formatting = findLinks(paragraph).map(({ index, url }) => {
    const start = countCodePoints(paragraph.slice(0, index));
    return { start, end: start + countCodePoints(url), type: 'link' as const, url };
  });
  return { type: 'text', text: paragraph, ...(formatting.length > 0 ? { formatting } : {}) };
}

/**
 * The post's NPF content: its paragraphs, then its attachments (images with their alt text, a
 * video), the way the other platforms show text above media; a post without media may end with a
 * link card instead.
 */
export function buildContent(text: string, uploads: UploadPart[], card?: LinkCard): NpfBlock[] {
  const blocks: NpfBlock[] = paragraphsOf(text).map(textBlock);
  if (uploads.length === 0 && card) blocks.push(linkBlock(card));
  for (const u of uploads) {
    const media = { type: u.mimeType, identifier: u.identifier };
    const alt = u.alt ? { alt_text: u.alt } : {};
    blocks.push(
      u.mimeType.startsWith('video/') ? { type: 'video', media, ...alt } : { type: 'image', media: [media], ...alt },
    );
  }
  return blocks;
}

/** A link block; fields Tumblr caps at 140 characters when it reads Open Graph itself are cut alike. */
export function linkBlock(card: LinkCard): NpfLinkBlock {
  const cut = (s: string | undefined) => {
    const t = s?.trim();
    if (!t) return undefined;
    const cps = [...t];
    return cps.length > 140 ? `${cps.slice(0, 139).join('')}…` : t;
  };
  const title = cut(card.title);
  const description = cut(card.description);
  const siteName = cut(card.siteName);
  const img = card.image;
  return {
    type: 'link',
    url: card.url,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(siteName ? { site_name: siteName } : {}),
    ...(img
      ? {
          poster: [
            {
              url: img.url,
              ...(img.mimeType ? { type: img.mimeType } : {}),
              ...(img.width ? { width: img.width } : {}),
              ...(img.height ? { height: img.height } : {}),
            },
          ],
        }
      : {}),
  };
}

/**
 * The reconciliation marker of one post: `hy` and 12 hex digits of a hash of `input.key`, the
 * same on every attempt. Tumblr has no idempotency key, so the marker rides in the post's custom
 * `slug`, which Tumblr returns with every post it lists. Why the slug: it is invisible in the post
 * itself and only ends its permalink (`…/post/123/hello-world-hy1a2b3c4d5e6f`), whereas a tag
 * would show on the post and in Tumblr's tag search.
 */
export function markerFor(key: string): string {
  return `hy${createHash('sha256').update(`hayon:tumblr:${key}`).digest('hex').slice(0, 12)}`;
}

/** A readable slug from the text's first words, ending with the marker (at most 55 characters). */
export function slugFor(text: string, key: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const head = words.length > 40 ? words.slice(0, 40).replace(/-[^-]*$/, '') : words;
  return head ? `${head}-${markerFor(key)}` : markerFor(key);
}

/** Whether a listed post carries the marker (in its slug, or its URL when the slug is absent). */
export function carriesMarker(post: { slug?: string | undefined; post_url?: string | undefined }, marker: string) {
  return (post.slug ?? '').includes(marker) || (post.post_url ?? '').includes(marker);
}
