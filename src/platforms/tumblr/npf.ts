import { createHash } from 'node:crypto';

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

export type NpfBlock = NpfTextBlock | NpfMediaBlock;

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
    const start = [...paragraph.slice(0, index)].length;
    return { start, end: start + [...url].length, type: 'link' as const, url };
  });
  return { type: 'text', text: paragraph, ...(formatting.length > 0 ? { formatting } : {}) };
}

/**
 * The post's NPF content: its paragraphs, then its attachments (images with their alt text, a
 * video), the way the other platforms show text above media.
 */
export function buildContent(text: string, uploads: UploadPart[]): NpfBlock[] {
  const blocks: NpfBlock[] = paragraphsOf(text).map(textBlock);
  for (const u of uploads) {
    const media = { type: u.mimeType, identifier: u.identifier };
    const alt = u.alt ? { alt_text: u.alt } : {};
    blocks.push(
      u.mimeType.startsWith('video/') ? { type: 'video', media, ...alt } : { type: 'image', media: [media], ...alt },
    );
  }
  return blocks;
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
