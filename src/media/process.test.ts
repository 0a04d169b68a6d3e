import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { convertToJpeg, fitImage, ImageProcessingError, imageSize, normalizeImage } from './process.js';

/** A gradient with blobs and strong noise, so that it compresses like a detailed photo (poorly). */
function photoLike(width: number, height: number, channels: 3 | 4 = 3): Sharp {
  const data = Buffer.alloc(width * height * channels);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const blob = 60 * Math.sin(x / 180) * Math.cos(y / 140);
      const base = [(255 * x) / width, (255 * y) / height, 128 + blob];
      for (let c = 0; c < 3; c++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        data[i + c] = Math.max(0, Math.min(255, base[c]! + ((seed >> 16) % 97) - 48));
      }
      // Transparent circle in the middle when there is an alpha channel.
      if (channels === 4) data[i + 3] = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 4) ** 2 ? 0 : 255;
    }
  }
  return sharp(data, { raw: { width, height, channels } });
}

/** Mean absolute difference per channel (0–255) between two images shrunk to the same small thumbnail. */
async function thumbnailDifference(a: Buffer, b: Buffer): Promise<number> {
  const thumb = (img: Buffer) => sharp(img).resize(64, 48, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [ta, tb] = await Promise.all([thumb(a), thumb(b)]);
  let sum = 0;
  for (let i = 0; i < ta.length; i++) sum += Math.abs(ta[i]! - tb[i]!);
  return sum / ta.length;
}

const flat = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 120, g: 120, b: 120 } } });

describe('normalizeImage', () => {
  it('applies the EXIF orientation and drops EXIF (with GPS) and XMP from a 12-megapixel JPEG', async () => {
    // A red block in the top-left corner ends up top-right once turned 90° clockwise (orientation 6).
    const red = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const input = await flat(4000, 3000)
      .composite([{ input: red, left: 0, top: 0 }])
      .jpeg({ quality: 90 })
      .withExif({ IFD0: { Make: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 12/1' } })
      .withMetadata({ orientation: 6 })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer tag, 0x8825
    expect(before.xmp).toBeDefined();
    expect(await imageSize(input)).toEqual({ width: 3000, height: 4000 });

    const out = await normalizeImage(input, 'image/jpeg');

    expect(out).toMatchObject({ mimeType: 'image/jpeg', width: 3000, height: 4000 });
    const after = await sharp(out.bytes).metadata();
    expect(after).toMatchObject({ format: 'jpeg', width: 3000, height: 4000 });
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    const pixel = async (left: number, top: number) => [
      ...(await sharp(out.bytes).extract({ left, top, width: 1, height: 1 }).raw().toBuffer()),
    ];
    expect((await pixel(2990, 10))[0]).toBeGreaterThan(240);
    expect((await pixel(10, 10))[0]).toBeLessThan(140);
  });

  it('converts colours from another ICC profile to sRGB and drops the profile', async () => {
    const green = { r: 0, g: 255, b: 0 };
    const p3 = await sharp({ create: { width: 16, height: 16, channels: 3, background: green } })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    const stored = await sharp(p3).keepIccProfile().raw().toBuffer();
    expect(stored[0]).toBeGreaterThan(60); // P3 numbers differ from sRGB ones, so the test can fail

    const out = await normalizeImage(p3, 'image/png');

    expect((await sharp(out.bytes).metadata()).icc).toBeUndefined();
    const [r, g, b] = await sharp(out.bytes).raw().toBuffer();
    expect(r).toBeLessThan(10);
    expect(g).toBeGreaterThan(245);
    expect(b).toBeLessThan(10);
  });

  it('returns a GIF unchanged, frames and all', async () => {
    const frames = await Promise.all(['#ff0000', '#0000ff'].map((c) => flat(40, 30).tint(c).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    const out = await normalizeImage(gif, 'image/gif');
    expect(out.bytes.equals(gif)).toBe(true);
    expect(out).toMatchObject({ mimeType: 'image/gif', width: 40, height: 30 });
  });

  it('refuses garbage that claims to be a PNG', async () => {
    const garbage = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2000, 0x5a)]);
    for (const attempt of [
      () => normalizeImage(garbage, 'image/png'),
      () => fitImage(garbage, 'image/png', { maxBytes: 1_000_000 }),
      () => imageSize(garbage),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ name: 'ImageProcessingError', reason: 'undecodable' });
    }
    await expect(normalizeImage(garbage, 'image/png')).rejects.toBeInstanceOf(ImageProcessingError);
  });

  it('refuses a decompression bomb (144 megapixels in a few MB) without decoding it', async () => {
    const bomb = await sharp({ create: { width: 12_000, height: 12_000, channels: 3, background: '#808080' } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const rss = process.memoryUsage().rss;
    await expect(normalizeImage(bomb, 'image/png')).rejects.toMatchObject({ reason: 'too-many-pixels' });
    await expect(fitImage(bomb, 'image/png', { maxBytes: 1_000_000 })).rejects.toMatchObject({
      reason: 'too-many-pixels',
    });
    // Decoding would take 432 MB.
    expect(process.memoryUsage().rss - rss).toBeLessThan(100_000_000);
  });
});

describe('fitImage', () => {
  it('brings a large detailed photo under 1,000,000 bytes (Bluesky) keeping its look and aspect ratio', async () => {
    const input = await photoLike(3000, 2000).jpeg({ quality: 95 }).toBuffer();
    expect(input.length).toBeGreaterThan(3_000_000);

    const out = await fitImage(input, 'image/jpeg', { maxBytes: 1_000_000 });

    expect(out.mimeType).toBe('image/jpeg');
    expect(out.bytes.length).toBeLessThanOrEqual(1_000_000);
    const meta = await sharp(out.bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: out.width, height: out.height });
    expect(Math.abs(out.width / out.height / 1.5 - 1)).toBeLessThan(0.01);
    expect(await thumbnailDifference(out.bytes, input)).toBeLessThan(8);
    // The measure can tell: a blank image of the same size is far off.
    expect(await thumbnailDifference(await flat(out.width, out.height).jpeg().toBuffer(), input)).toBeGreaterThan(30);
  });

  it('returns an image that already fits byte for byte', async () => {
    const input = await photoLike(600, 400).jpeg({ quality: 80 }).toBuffer();
    const out = await fitImage(input, 'image/jpeg', { maxBytes: 1_000_000, maxDimension: 600, maxPixels: 240_000 });
    expect(out.bytes.equals(input)).toBe(true);
    expect(out).toMatchObject({ mimeType: 'image/jpeg', width: 600, height: 400 });
  });

  it('respects maxDimension and maxPixels, never upscaling', async () => {
    const input = await flat(2000, 1000).jpeg().toBuffer();
    const byDimension = await fitImage(input, 'image/jpeg', { maxBytes: 8_000_000, maxDimension: 1440 });
    expect(byDimension).toMatchObject({ width: 1440, height: 720 });
    expect(await sharp(byDimension.bytes).metadata()).toMatchObject({ width: 1440, height: 720 });

    const byPixels = await fitImage(input, 'image/jpeg', { maxBytes: 8_000_000, maxPixels: 500_000 });
    expect(byPixels.width * byPixels.height).toBeLessThanOrEqual(500_000);
    expect(byPixels.width * byPixels.height).toBeGreaterThan(490_000);
    expect(Math.abs(byPixels.width / byPixels.height / 2 - 1)).toBeLessThan(0.01);

    const notUp = await fitImage(input, 'image/jpeg', { maxBytes: 8_000_000, maxDimension: 4000 });
    expect(notUp).toMatchObject({ width: 2000, height: 1000 });
  });

  it('keeps transparency: a PNG stays a PNG with alpha, a WebP a WebP', async () => {
    const png = await photoLike(1200, 800, 4).png().toBuffer();
    const fittedPng = await fitImage(png, 'image/png', { maxBytes: 300_000 });
    expect(fittedPng.mimeType).toBe('image/png');
    expect(fittedPng.bytes.length).toBeLessThanOrEqual(300_000);
    const meta = await sharp(fittedPng.bytes).metadata();
    expect(meta).toMatchObject({ format: 'png', hasAlpha: true });
    const centre = await sharp(fittedPng.bytes)
      .ensureAlpha()
      .extract({ left: Math.floor(fittedPng.width / 2), top: Math.floor(fittedPng.height / 2), width: 1, height: 1 })
      .raw()
      .toBuffer();
    expect(centre[3]).toBe(0);

    const webp = await photoLike(1200, 800, 4).webp({ lossless: true }).toBuffer();
    const fittedWebp = await fitImage(webp, 'image/webp', { maxBytes: 150_000 });
    expect(fittedWebp.mimeType).toBe('image/webp');
    expect(fittedWebp.bytes.length).toBeLessThanOrEqual(150_000);
    expect(await sharp(fittedWebp.bytes).metadata()).toMatchObject({ format: 'webp', hasAlpha: true });
  });

  it('turns an opaque PNG into a JPEG and an animated GIF over the limit into its first frame', async () => {
    const png = await photoLike(1200, 800).png().toBuffer();
    const fitted = await fitImage(png, 'image/png', { maxBytes: 500_000 });
    expect(fitted.mimeType).toBe('image/jpeg');
    expect(fitted.bytes.length).toBeLessThanOrEqual(500_000);

    const frames = await Promise.all(['#ff0000', '#0000ff'].map((c) => flat(800, 600).tint(c).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    const still = await fitImage(gif, 'image/gif', { maxBytes: 1_000_000, maxDimension: 400 });
    expect(still).toMatchObject({ mimeType: 'image/jpeg', width: 400, height: 300 });
    expect((await sharp(still.bytes).metadata()).pages).toBeUndefined();
  });

  it('converts a transparent WebP to a JPEG on white', async () => {
    const webp = await photoLike(300, 200, 4).webp().toBuffer();
    const jpeg = await convertToJpeg(webp);
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 300, height: 200, hasAlpha: false });
    const centre = await sharp(jpeg).extract({ left: 150, top: 100, width: 1, height: 1 }).raw().toBuffer();
    expect([...centre].every((v) => v > 245)).toBe(true);
  });

  it('is deterministic and gives up below a sensible size', async () => {
    const input = await photoLike(1000, 800).jpeg({ quality: 95 }).toBuffer();
    const [a, b] = await Promise.all([1, 2].map(() => fitImage(input, 'image/jpeg', { maxBytes: 200_000 })));
    expect(a!.bytes.equals(b!.bytes)).toBe(true);
    await expect(fitImage(input, 'image/jpeg', { maxBytes: 2_000 })).rejects.toMatchObject({ reason: 'cannot-fit' });
  });
});
