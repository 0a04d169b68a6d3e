import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/**
 * A valid RGB PNG of the given size: a solid colour (a few hundred bytes), or random pixels, which
 * do not compress, so the file is a little over width × height × 3 bytes.
 */
export function makePng(width: number, height: number, pixels: 'solid' | 'random' = 'solid'): Uint8Array {
  const row = width * 3 + 1; // a filter byte (0: none) before each row
  const raw = pixels === 'random' ? randomBytes(row * height) : Buffer.alloc(row * height, 0x5a);
  for (let y = 0; y < height; y++) raw[y * row] = 0;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit depth, colour type RGB, default compression/filter/interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: pixels === 'random' ? 0 : 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
