import type { MediaType } from './media-store.js';

const mp4Brands = ['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'mp4v', 'dash', 'MSNV'];

/** The media type from the file's first bytes; names and content-type headers are not trusted. */
export function sniffMediaType(bytes: Uint8Array): MediaType | null {
  const at = (i: number) => bytes[i];
  const ascii = (start: number, text: string) => [...text].every((c, i) => at(start + i) === c.charCodeAt(0));
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (at(0) === 0x89 && ascii(1, 'PNG\r\n\x1a\n')) return 'image/png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  // ISO media files all start with `ftyp`; the brand tells MP4 video from HEIC/AVIF images.
  if (ascii(4, 'ftyp') && mp4Brands.some((brand) => ascii(8, brand))) return 'video/mp4';
  return null;
}

/** Bytes enough for `sniffMediaType`. */
export const sniffBytes = 16;
