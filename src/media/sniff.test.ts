import { describe, expect, it } from 'vitest';
import { sniffMediaType } from './sniff.js';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF');
const png = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', new Array(40).fill(7));
const gif87 = bytes('GIF87a', [1, 0, 1, 0]);
const gif89 = bytes('GIF89a', [1, 0, 1, 0]);
const webp = bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ');
const mp4 = bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]);

describe('sniffMediaType', () => {
  it.each([
    ['JPEG', jpeg, 'image/jpeg'],
    ['PNG', png, 'image/png'],
    ['GIF87a', gif87, 'image/gif'],
    ['GIF89a', gif89, 'image/gif'],
    ['WebP', webp, 'image/webp'],
    ['MP4', mp4, 'video/mp4'],
  ])('knows %s by its first bytes', (_, file, type) => {
    expect(sniffMediaType(file)).toBe(type);
  });

  it.each([
    ['an HTML page named .png', bytes('<!doctype html><title>cat.png</title>')],
    ['PNG without its 0x89 byte', bytes('PNG\r\n\x1a\n', new Array(8).fill(0))],
    ['a PNG signature cut short', bytes([0x89], 'PNG\r\n')],
    ['a RIFF file that is not WebP (WAV)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['a GIF-like header of another version', bytes('GIF90a', [1, 0])],
    ['two JPEG bytes', bytes([0xff, 0xd8])],
    ['nothing', new Uint8Array()],
  ])('refuses %s', (_, file) => {
    expect(sniffMediaType(file)).toBeNull();
  });

  it('does not call a HEIC photo an MP4 video', () => {
    expect(sniffMediaType(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'))).not.toBe('video/mp4');
  });
});
