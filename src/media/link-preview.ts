import { type DownloadOptions, type Downloaded, downloadUrl } from '../net/safe-fetch.js';
import { readPageMeta } from './page-meta.js';
import { fitImage } from './process.js';
import { sniffMediaType } from './sniff.js';

/** What a link card shows: the page's title, description and (when asked for) its image. */
export interface LinkPreview {
  /** The link as the post has it (not where redirects ended). */
  url: string;
  title: string;
  description: string;
  /** The `og:image` / `twitter:image` URL, absolute; present even when the image was not fetched. */
  imageUrl?: string;
  /** The image, fitted within `options.image`; absent when not asked for or not readable. */
  image?: { bytes: Uint8Array; mimeType: string };
}

export interface LinkPreviewOptions {
  /** When given, the page's image is fetched and fitted within these limits (e.g. Bluesky's blob limit). */
  image?: { maxBytes: number; maxDimension?: number } | undefined;
  /** Hosts that may be private (`HAYON_FETCH_ALLOW_HOSTS`): a CMS on the LAN, test servers. */
  allowHosts?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  /** Replaces the SSRF-safe download (tests). */
  download?: ((url: string, options: DownloadOptions) => Promise<Downloaded>) | undefined;
  /** Caps; defaults in {@link linkPreviewDefaults}. */
  timeoutMs?: number | undefined;
  maxPageBytes?: number | undefined;
  maxImageBytes?: number | undefined;
}

export const linkPreviewDefaults = {
  /** For the page and for its image, each. A card is a nicety: it never holds a post up for long. */
  timeoutMs: 5_000,
  /** HTML pages beyond this give no card (the head with its meta tags is near the top of most pages). */
  maxPageBytes: 2_000_000,
  /** An image beyond this is left out of the card. */
  maxImageBytes: 10_000_000,
} as const;

const htmlTypes = ['text/html', 'application/xhtml+xml'];

/**
 * The link card of a page, read from its Open Graph (`og:title`, `og:description`, `og:image`)
 * or Twitter (`twitter:*`) tags, else its `<title>` and meta description. Fetched with the
 * SSRF-safe download (no private addresses unless allowed, redirects checked, size and time
 * capped). Never throws for the page: a page that cannot be read (timeout, too big, not HTML, an
 * error status, a private address, no title) gives null, and an image that cannot be read or
 * fitted is left out. Only an abort of `options.signal` is thrown, so a stopping worker stops.
 *
 * @example
 * const card = await fetchLinkPreview('https://example.org/post', { image: { maxBytes: 1_000_000 } });
 * // → { url, title: 'Release 2.0', description: '…', imageUrl, image: { bytes, mimeType: 'image/jpeg' } }
 */
export async function fetchLinkPreview(url: string, options: LinkPreviewOptions = {}): Promise<LinkPreview | null> {
  const download = options.download ?? downloadUrl;
  const base = {
    timeoutMs: options.timeoutMs ?? linkPreviewDefaults.timeoutMs,
    ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let page: Downloaded;
  try {
    page = await download(url, { ...base, maxBytes: options.maxPageBytes ?? linkPreviewDefaults.maxPageBytes });
  } catch {
    if (options.signal?.aborted) throw options.signal.reason;
    return null;
  }
  const [type, charset] = contentType(page.contentType);
  if (!htmlTypes.includes(type)) return null;
  const meta = readPageMeta(decode(page.bytes, charset), page.finalUrl);
  if (!meta.title) return null;
  const preview: LinkPreview = {
    url,
    title: meta.title,
    description: meta.description ?? '',
    ...(meta.image ? { imageUrl: meta.image } : {}),
  };
  if (!meta.image || !options.image) return preview;
  const image = await fetchImage(meta.image, options.image, {
    ...base,
    maxBytes: options.maxImageBytes ?? linkPreviewDefaults.maxImageBytes,
    download,
  });
  if (options.signal?.aborted) throw options.signal.reason;
  return image ? { ...preview, image } : preview;
}

/** The image, fitted within `limits`; null when it cannot be fetched, is not an image, or cannot be fitted. */
async function fetchImage(
  url: string,
  limits: { maxBytes: number; maxDimension?: number },
  options: DownloadOptions & { download: NonNullable<LinkPreviewOptions['download']> },
): Promise<{ bytes: Uint8Array; mimeType: string } | null> {
  try {
    const { download, ...rest } = options;
    const { bytes } = await download(url, rest);
    const type = sniffMediaType(bytes);
    if (!type?.startsWith('image/')) return null;
    const fitted = await fitImage(bytes, type, {
      maxBytes: limits.maxBytes,
      ...(limits.maxDimension ? { maxDimension: limits.maxDimension } : {}),
    });
    return { bytes: fitted.bytes, mimeType: fitted.mimeType };
  } catch {
    return null;
  }
}

/** `text/html; charset=ISO-8859-1` → ['text/html', 'iso-8859-1']. */
function contentType(header: string | undefined): [string, string | undefined] {
  const [type = '', ...params] = (header ?? '').toLowerCase().split(';');
  const charset = params.map((p) => p.trim()).find((p) => p.startsWith('charset='));
  return [type.trim(), charset?.slice('charset='.length).replace(/"/g, '')];
}

function decode(bytes: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    // An unknown label: UTF-8 reads the ASCII of the tags either way.
    return new TextDecoder('utf-8').decode(bytes);
  }
}
