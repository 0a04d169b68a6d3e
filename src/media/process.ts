import sharp, { type Sharp, type SharpOptions } from 'sharp';

// Every image goes through once, so libvips' operation cache (50 MB by default) would only keep pixels alive.
sharp.cache(false);

/** Images with more pixels are refused from their header, before any decoding (decompression bombs). */
const MAX_INPUT_PIXELS = 100_000_000;
/** fitImage gives up rather than go below this longest side. */
const MIN_LONGEST_SIDE = 320;

const decodeOptions = {
  limitInputPixels: MAX_INPUT_PIXELS,
  // 'error' still refuses corrupt and truncated data, but not the harmless warnings (stray bytes after a marker…)
  // that many phone and camera JPEGs carry and the default 'warning' would refuse.
  failOn: 'error',
} as const satisfies SharpOptions;

/** What a platform takes for images. */
export interface ImageLimits {
  /** Largest file in bytes. */
  maxBytes: number;
  /** Longest side in pixels (optional). */
  maxDimension?: number;
  /** Most pixels, width × height (optional). */
  maxPixels?: number;
}

export interface ProcessedImage {
  bytes: Buffer;
  mimeType: string;
  width: number;
  height: number;
}

/** Why an image was refused: not an image, a decompression bomb, or too big even when small. */
export type ImageProcessingReason = 'undecodable' | 'too-many-pixels' | 'cannot-fit';

/** Thrown when bytes are not a decodable image or cannot be brought within limits. `reason` for messages. */
export class ImageProcessingError extends Error {
  override name = 'ImageProcessingError';
  constructor(
    readonly reason: ImageProcessingReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Width/height of an image after EXIF orientation (no full decode). */
export async function imageSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  const { autoOrient } = await guarded(() => sharp(bytes, decodeOptions).metadata());
  return { width: autoOrient.width, height: autoOrient.height };
}

/**
 * The stored original: oriented by its EXIF orientation then all metadata dropped (EXIF incl. GPS, XMP, IPTC),
 * converted to sRGB if it had another ICC profile, in the same format (JPEG at quality 90, PNG, WebP lossy at
 * quality 90 or lossless if it was). A GIF is returned unchanged, since animated GIFs must keep their frames.
 * Refuses (ImageProcessingError) bytes that sharp cannot decode, and images over 100 megapixels.
 */
export async function normalizeImage(bytes: Uint8Array, mimeType: string): Promise<ProcessedImage> {
  return guarded(async () => {
    if (mimeType === 'image/gif') {
      // Decoding the first frame proves it is a GIF; stats() streams, so no frame is held in memory.
      const { width, height } = await sharp(bytes, decodeOptions).metadata();
      await sharp(bytes, decodeOptions).stats();
      return { bytes: asBuffer(bytes), mimeType, width, height };
    }
    // Animated WebP keeps its frames; sharp drops EXIF, XMP and IPTC and converts to sRGB unless told otherwise.
    const image = sharp(bytes, { ...decodeOptions, autoOrient: true, animated: mimeType === 'image/webp' });
    const meta = await image.metadata();
    const encoded =
      mimeType === 'image/png'
        ? image.png({ palette: meta.isPalette })
        : mimeType === 'image/webp'
          ? image.webp(isLosslessWebp(bytes) ? { lossless: true } : { quality: 90, alphaQuality: 100 })
          : image.jpeg({ quality: 90 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { bytes: data, mimeType, width: info.width, height: info.pageHeight ?? info.height };
  });
}

/**
 * A version within `limits`: returned as is (same Buffer content) when it already fits; otherwise downscaled
 * (keeping aspect ratio, never upscaled) to fit maxDimension/maxPixels, then re-encoded with falling quality and,
 * if still too big, smaller sizes, until under maxBytes. JPEG stays JPEG; PNG/WebP that use transparency stay
 * PNG/WebP, and without it become JPEG; an animated GIF or WebP over the limits becomes its first frame.
 * Deterministic. Throws ImageProcessingError if it cannot get under maxBytes at 320 px longest side.
 *
 * @example
 * const { bytes, mimeType } = await fitImage(original, 'image/jpeg', { maxBytes: 1_000_000 }); // Bluesky
 */
export async function fitImage(bytes: Uint8Array, mimeType: string, limits: ImageLimits): Promise<ProcessedImage> {
  return guarded(async () => {
    const { width, height } = (await sharp(bytes, decodeOptions).metadata()).autoOrient;
    const size = limitedSize(width, height, limits);
    if (bytes.byteLength <= limits.maxBytes && size.width === width && size.height === height) {
      return { bytes: asBuffer(bytes), mimeType, width, height };
    }
    return shrinkUntilFits(bytes, mimeType, size, limits.maxBytes);
  });
}

type Size = { width: number; height: number };

/**
 * Searches the scale (of `start`) for the largest image under maxBytes: shrinks until one fits, then, when the first
 * that fits leaves much room at the best quality, tries at most two sizes between it and the smallest that did not.
 * Bytes are modelled as scale^k, k fitted from the last two tries (2 until there are two).
 */
async function shrinkUntilFits(bytes: Uint8Array, mimeType: string, start: Size, maxBytes: number) {
  const startLongest = Math.max(start.width, start.height);
  const target = 0.9 * maxBytes;
  let scale = 1;
  let fit: { scale: number; image: ProcessedImage; roomy: boolean } | undefined;
  let over: { scale: number; bytes: number } | undefined;
  for (let refinements = 0; ; ) {
    const size = scale === 1 ? start : scaled(start.width, start.height, scale);
    const { image, smallest, best } = await attemptAt(bytes, mimeType, size, maxBytes);
    if (image) fit = { scale, image, roomy: best && image.bytes.length < 0.8 * maxBytes };
    else over = { scale, bytes: smallest };
    const k =
      fit && over
        ? Math.min(4, Math.max(1, Math.log(over.bytes / fit.image.bytes.length) / Math.log(over.scale / fit.scale)))
        : 2;
    if (fit) {
      if (!over || !fit.roomy || refinements++ === 2) return fit.image;
      const next = Math.min(fit.scale * (target / fit.image.bytes.length) ** (1 / k), (fit.scale + over.scale) / 2);
      if (next < fit.scale * 1.03) return fit.image;
      scale = next;
      continue;
    }
    if (scale * startLongest <= MIN_LONGEST_SIDE) {
      throw new ImageProcessingError(
        'cannot-fit',
        `The image cannot be made smaller than ${maxBytes} bytes at a sensible size.`,
      );
    }
    // Always shrink by at least 10%, and stop at the smallest sensible size.
    const next = Math.min(0.9 * scale, scale * (target / smallest) ** (1 / k));
    scale = Math.max(next, MIN_LONGEST_SIDE / startLongest);
  }
}

/** One size: the first encoding under maxBytes (`best` when it is the best quality tried), or the smallest size. */
async function attemptAt(bytes: Uint8Array, mimeType: string, size: Size, maxBytes: number) {
  const pixels = await decodeAt(bytes, size);
  const kind = outputKind(mimeType, pixels.opaque);
  const { data, smallest, step } = await encodeWithin(pixels, kind, maxBytes);
  const image = data && { bytes: data, mimeType: `image/${kind}`, width: pixels.width, height: pixels.height };
  return { image, smallest, best: step === 0 };
}

/**
 * A JPEG (quality 90) of the image, for platforms that take no other type: oriented, in sRGB, the first frame of an
 * animation, transparent parts on white, no metadata. Refuses what normalizeImage refuses.
 */
export async function convertToJpeg(bytes: Uint8Array): Promise<Buffer> {
  return guarded(() =>
    sharp(bytes, { ...decodeOptions, autoOrient: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
}

type OutputKind = 'jpeg' | 'png' | 'webp';

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** No alpha channel, or one that is fully opaque everywhere. */
  opaque: boolean;
}

/** Oriented, sRGB and resized raw pixels (the first frame of an animation), decoded once for all encodings. */
async function decodeAt(bytes: Uint8Array, size: Size): Promise<Pixels> {
  const { data, info } = await sharp(bytes, { ...decodeOptions, autoOrient: true })
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels, opaque: isOpaque(data, info) };
}

function isOpaque(data: Buffer, info: { channels: number; hasAlpha: boolean }): boolean {
  if (!info.hasAlpha) return true;
  for (let i = info.channels - 1; i < data.length; i += info.channels) if (data[i] !== 255) return false;
  return true;
}

function outputKind(mimeType: string, opaque: boolean): OutputKind {
  if (mimeType === 'image/jpeg' || opaque) return 'jpeg';
  return mimeType === 'image/webp' ? 'webp' : 'png';
}

const lossyQualities = [85, 75, 65, 55];

/** Encoders from best to smallest for each output kind. */
const ladders: Record<OutputKind, ((image: Sharp) => Sharp)[]> = {
  jpeg: lossyQualities.map((quality) => (image) => image.removeAlpha().jpeg({ quality })),
  webp: lossyQualities.map((quality) => (image) => image.webp({ quality, alphaQuality: 90 })),
  png: [
    (image) => image.png({ compressionLevel: 9 }),
    // libimagequant's default effort (7) takes ten times as long as 3 for much the same file.
    (image) => image.png({ palette: true, effort: 3 }),
  ],
};

/** The first encoding under maxBytes and its step in the ladder, or the size of the smallest one tried. */
async function encodeWithin(
  pixels: Pixels,
  kind: OutputKind,
  maxBytes: number,
): Promise<{ data?: Buffer; smallest: number; step: number }> {
  let smallest = Number.POSITIVE_INFINITY;
  const { data, width, height, channels } = pixels;
  for (const [step, encode] of ladders[kind].entries()) {
    const out = await encode(sharp(data, { raw: { width, height, channels } })).toBuffer();
    if (out.length <= maxBytes) return { data: out, smallest: out.length, step };
    smallest = Math.min(smallest, out.length);
    // Lower quality alone rarely halves a lossy file: go straight to a smaller size.
    if (kind !== 'png' && out.length > 2 * maxBytes) break;
  }
  return { smallest, step: -1 };
}

/** The largest size within maxDimension and maxPixels with the same aspect ratio, never larger than the image. */
function limitedSize(width: number, height: number, limits: ImageLimits): { width: number; height: number } {
  let scale = 1;
  if (limits.maxDimension !== undefined) scale = Math.min(scale, limits.maxDimension / Math.max(width, height));
  if (limits.maxPixels !== undefined) scale = Math.min(scale, Math.sqrt(limits.maxPixels / (width * height)));
  return scale >= 1 ? { width, height } : scaled(width, height, scale);
}

function scaled(width: number, height: number, scale: number): { width: number; height: number } {
  // The epsilon keeps 1440 from coming out as 1439.9999… and then 1439.
  const side = (n: number) => Math.max(1, Math.floor(n * scale + 1e-9));
  return { width: side(width), height: side(height) };
}

/** A lossless WebP has a VP8L chunk, at the top level or inside its first animation frame. */
function isLosslessWebp(bytes: Uint8Array): boolean {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 8 <= view.length; at += 8 + view.readUInt32LE(at + 4) + (view.readUInt32LE(at + 4) & 1)) {
    const fourcc = view.toString('latin1', at, at + 4);
    if (fourcc === 'VP8L') return true;
    if (fourcc === 'VP8 ') return false;
    if (fourcc === 'ANMF') return view.toString('latin1', at + 24, at + 28) === 'VP8L';
  }
  return false;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Runs sharp work and turns whatever it throws into an ImageProcessingError. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ImageProcessingError) throw e;
    if (e instanceof Error && /pixel limit/i.test(e.message)) {
      const megapixels = MAX_INPUT_PIXELS / 1_000_000;
      throw new ImageProcessingError('too-many-pixels', `The image has more than ${megapixels} megapixels.`, {
        cause: e,
      });
    }
    throw new ImageProcessingError('undecodable', 'The file is not a readable image.', { cause: e });
  }
}
