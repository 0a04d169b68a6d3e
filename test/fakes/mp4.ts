/**
 * A small MP4 for tests: `ftyp`, a `moov` with the movie's length and one video track of the
 * given size (and a `mdat` of filler bytes to reach a size). Not playable: no samples; enough
 * for readers of the header and for servers that check the type by its first bytes. `bytes`:
 * the total size, reached with filler in `mdat`.
 */
export function makeMp4(opts: {
  width: number;
  height: number;
  seconds: number;
  bytes?: number;
  moovLast?: boolean;
}): Buffer {
  const timescale = 1000;
  const ftyp = box('ftyp', Buffer.concat([ascii('isom'), u32(512), ascii('isomiso2avc1mp41')]));
  const mvhd = box(
    'mvhd',
    Buffer.concat([u32(0), u32(0), u32(0), u32(timescale), u32(opts.seconds * timescale), Buffer.alloc(80)]),
  );
  const matrix = Buffer.concat([
    u32(0x00010000),
    u32(0),
    u32(0),
    u32(0),
    u32(0x00010000),
    u32(0),
    u32(0),
    u32(0),
    u32(0x40000000),
  ]);
  const tkhd = box(
    'tkhd',
    Buffer.concat([
      u32(3), // version 0, flags: enabled, in movie
      u32(0),
      u32(0),
      u32(1), // track id
      u32(0),
      u32(opts.seconds * timescale),
      Buffer.alloc(8),
      Buffer.alloc(8), // layer, alternate group, volume, reserved
      matrix,
      u32(opts.width * 65536),
      u32(opts.height * 65536),
    ]),
  );
  const hdlr = box(
    'hdlr',
    Buffer.concat([u32(0), u32(0), ascii('vide'), Buffer.alloc(12), Buffer.from('VideoHandler\0')]),
  );
  const moov = box('moov', Buffer.concat([mvhd, box('trak', Buffer.concat([tkhd, box('mdia', hdlr)]))]));
  const head = opts.moovLast ? [ftyp] : [ftyp, moov];
  const used = ftyp.length + moov.length + 8;
  const mdat = box('mdat', Buffer.alloc(Math.max(0, (opts.bytes ?? 0) - used), 0x11));
  return Buffer.concat(opts.moovLast ? [...head, mdat, moov] : [...head, mdat]);
}

function box(type: string, content: Buffer): Buffer {
  return Buffer.concat([u32(8 + content.length), ascii(type), content]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function ascii(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}
