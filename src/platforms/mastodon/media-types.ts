import type { ResolvedMedia } from '../../core/content.js';
import type { InstanceLimits } from './instance.js';

/** The videos hayon sends to Mastodon: MP4, WebM and QuickTime (`.mov`). */
export const videoTypes = ['video/mp4', 'video/webm', 'video/quicktime'] as const;

const byExtension: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

/**
 * An attachment's type: its `mimeType` when known, else from the URL's extension; undefined for
 * an unknown extension (taken as an image, which the media layer converts where needed).
 */
export function mediaTypeOf(item: Pick<ResolvedMedia, 'url' | 'mimeType'>): string | undefined {
  if (item.mimeType) return item.mimeType.toLowerCase().split(';')[0]?.trim();
  let path = item.url;
  try {
    path = new URL(item.url).pathname;
  } catch {
    // a bare name such as `a.png`
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? byExtension[ext] : undefined;
}

export const isVideo = (type: string | undefined): boolean => type?.startsWith('video/') ?? false;

/**
 * Why this instance cannot take an attachment of `type`, or null when it can. Images of any type
 * are fine (the media layer converts them); videos must be MP4, WebM or MOV and among the types
 * the instance states; anything else (audio, a PDF) is refused.
 */
export function refusedType(type: string | undefined, limits: InstanceLimits): string | null {
  if (type === undefined || type.startsWith('image/')) return null;
  const stated = limits.supportedMimeTypes;
  if ((videoTypes as readonly string[]).includes(type) && (!stated || stated.includes(type))) return null;
  return `Mastodon cannot take ${type} here; attach an image (JPEG, PNG, GIF, WebP) or a video (MP4, WebM, MOV).`;
}

/** `12.3 MB`. */
export const megabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;
