/** What an MP4's header says about its video. */
export interface Mp4Info {
  /** The first video track's display size (after a 90°/270° rotation in its matrix); absent when there is none. */
  width?: number;
  height?: number;
  /** The movie's length (`mvhd`), in milliseconds. */
  durationMs?: number;
}

interface Box {
  type: string;
  /** Where the box's content starts and ends (after its header). */
  start: number;
  end: number;
}

/**
 * Reads an MP4's `moov` box (wherever it is in the file) for the video's size and length,
 * without decoding anything. Null when the bytes are not an MP4 it can read; fields it cannot
 * find are left out. For limits at the door and aspect ratios (Bluesky's video embed).
 *
 * @example mp4Info(bytes) // → { width: 1920, height: 1080, durationMs: 12_480 }
 */
export function mp4Info(bytes: Uint8Array): Mp4Info | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const top = children(view, 0, bytes.byteLength);
  if (top[0]?.type !== 'ftyp') return null;
  const moov = top.find((b) => b.type === 'moov');
  if (!moov) return null;
  const info: Mp4Info = {};
  const inMoov = children(view, moov.start, moov.end);
  const mvhd = inMoov.find((b) => b.type === 'mvhd');
  if (mvhd) {
    const duration = movieDuration(view, mvhd);
    if (duration !== undefined) info.durationMs = duration;
  }
  for (const trak of inMoov.filter((b) => b.type === 'trak')) {
    const inTrak = children(view, trak.start, trak.end);
    const mdia = inTrak.find((b) => b.type === 'mdia');
    const hdlr = mdia && children(view, mdia.start, mdia.end).find((b) => b.type === 'hdlr');
    if (!hdlr || hdlr.start + 12 > hdlr.end || fourcc(view, hdlr.start + 8) !== 'vide') continue;
    const tkhd = inTrak.find((b) => b.type === 'tkhd');
    const size = tkhd && trackSize(view, tkhd);
    if (size) Object.assign(info, size);
    break;
  }
  return info;
}

/** The boxes directly inside [start, end); stops at the first malformed one. */
function children(view: DataView, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    const type = fourcc(view, at + 4);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) break;
    boxes.push({ type, start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

function movieDuration(view: DataView, mvhd: Box): number | undefined {
  const version = view.getUint8(mvhd.start);
  const [timescaleAt, durationAt, durationBytes] = version === 1 ? [20, 24, 8] : [12, 16, 4];
  if (mvhd.start + durationAt + durationBytes > mvhd.end) return undefined;
  const timescale = view.getUint32(mvhd.start + timescaleAt);
  const duration =
    durationBytes === 8 ? Number(view.getBigUint64(mvhd.start + durationAt)) : view.getUint32(mvhd.start + durationAt);
  // All ones means "unknown" (a fragmented file).
  if (timescale === 0 || duration === 0xffffffff || duration >= Number.MAX_SAFE_INTEGER) return undefined;
  return Math.round((duration / timescale) * 1000);
}

function trackSize(view: DataView, tkhd: Box): { width: number; height: number } | undefined {
  const version = view.getUint8(tkhd.start);
  // version/flags, times, track id, reserved, duration; then reserved(8) layer alt-group volume reserved(8).
  const matrixAt = tkhd.start + (version === 1 ? 36 : 24) + 16;
  const widthAt = matrixAt + 36;
  if (widthAt + 8 > tkhd.end) return undefined;
  // 16.16 fixed point.
  const width = Math.round(view.getUint32(widthAt) / 65536);
  const height = Math.round(view.getUint32(widthAt + 4) / 65536);
  if (width === 0 || height === 0) return undefined;
  // The matrix's a = 0 means a quarter turn: the frame is shown on its side.
  const a = view.getInt32(matrixAt);
  return a === 0 ? { width: height, height: width } : { width, height };
}

function fourcc(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}
