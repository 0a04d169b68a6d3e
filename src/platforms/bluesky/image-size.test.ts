import { describe, expect, it } from 'vitest';
import { imageSize } from './image-size.js';

const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

function pngHeader(width: number, height: number): Uint8Array {
  const ihdr = [...u32(13), ...Buffer.from('IHDR'), ...u32(width), ...u32(height), 8, 6, 0, 0, 0, 0, 0, 0, 0];
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...ihdr]);
}

function jpegHeader(width: number, height: number, sof = 0xc0): Uint8Array {
  const app0 = [0xff, 0xe0, ...u16(16), ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const dht = [0xff, 0xc4, ...u16(4), 0, 0]; // a table before the frame, to be skipped
  const frame = [0xff, sof, ...u16(17), 8, ...u16(height), ...u16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Uint8Array.from([0xff, 0xd8, ...app0, 0xff, ...dht, ...frame]);
}

describe('imageSize', () => {
  it('reads PNG width and height from IHDR', () => {
    expect(imageSize(pngHeader(1200, 675))).toEqual({ width: 1200, height: 675 });
  });

  it('reads a baseline or progressive JPEG frame, skipping other segments and fill bytes', () => {
    expect(imageSize(jpegHeader(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageSize(jpegHeader(3000, 4000, 0xc2))).toEqual({ width: 3000, height: 4000 });
  });

  it('reads a GIF logical screen', () => {
    const gif = Uint8Array.from([...Buffer.from('GIF89a'), 0x40, 0x01, 0xf0, 0x00]);
    expect(imageSize(gif)).toEqual({ width: 320, height: 240 });
  });

  it('answers null for unknown, truncated or zero-sized images', () => {
    expect(imageSize(Buffer.from('not an image at all'))).toBeNull();
    expect(imageSize(pngHeader(10, 10).subarray(0, 20))).toBeNull();
    expect(imageSize(jpegHeader(10, 10).subarray(0, 30))).toBeNull();
    expect(imageSize(pngHeader(0, 10))).toBeNull();
  });

  it('works on a view into a larger buffer', () => {
    const big = new Uint8Array(100);
    big.set(pngHeader(7, 9), 10);
    expect(imageSize(big.subarray(10))).toEqual({ width: 7, height: 9 });
  });
});
