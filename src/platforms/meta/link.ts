import type { ResolvedContent } from '../../core/content.js';

const urlPattern = /https?:\/\/[^\s<>"]+/i;

/** The first http(s) URL of a text, without trailing punctuation (`see https://a.io/x.` gives `https://a.io/x`). */
export function firstLink(text: string): string | undefined {
  return text.match(urlPattern)?.[0].replace(/[.,;:!?)\]'"]+$/, '');
}

/**
 * The URL a post's link card shows (Threads' `link_attachment`, Facebook's `link`): the first
 * link of a post without media, unless the request said `linkPreview: false`. Meta reads the
 * page itself to make the card, so hayon sends the URL only. Undefined: no card.
 */
export function linkCardUrl(content: Pick<ResolvedContent, 'text' | 'media' | 'linkPreview'>): string | undefined {
  if (content.media.length > 0 || content.linkPreview === false) return undefined;
  return firstLink(content.text);
}
