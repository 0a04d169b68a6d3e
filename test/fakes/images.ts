import sharp from 'sharp';

/**
 * A photo-like JPEG: a smooth gradient with noise over it, so that it compresses as badly as a
 * real photo does. `exif` adds an orientation and GPS position (what hayon must strip).
 */
export async function photoJpeg(width: number, height: number, options: { exif?: boolean } = {}): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >> 16) % 48;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = Math.min(255, Math.round((x / width) * 200) + noise());
      raw[i + 1] = Math.min(255, Math.round((y / height) * 200) + noise());
      raw[i + 2] = Math.min(255, 100 + noise());
    }
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 });
  if (options.exif) {
    // sharp writes the orientation from withMetadata only; withExif carries the rest.
    image = image.withMetadata({ orientation: 6 }).withExif({
      IFD0: { Make: 'hayon-test-camera' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '13/1 24/1 0/1' },
    });
  }
  return image.toBuffer();
}

/** A small PNG of one colour. */
export function solidPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 1 } } })
    .png()
    .toBuffer();
}

/** Mean absolute difference per channel (0–255) between two images, both shrunk to 64×48. */
export async function imageDistance(a: Uint8Array, b: Uint8Array): Promise<number> {
  const thumb = (x: Uint8Array) => sharp(x).rotate().resize(64, 48, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [ta, tb] = await Promise.all([thumb(a), thumb(b)]);
  let sum = 0;
  for (let i = 0; i < ta.length; i++) sum += Math.abs((ta[i] ?? 0) - (tb[i] ?? 0));
  return sum / ta.length;
}
