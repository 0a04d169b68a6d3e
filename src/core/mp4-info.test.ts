import { describe, expect, it } from 'vitest';
import { makeMp4 } from '../../test/fakes/mp4.js';
import { mp4Info } from './mp4-info.js';

describe('mp4Info', () => {
  it('reads the video track size and the movie length', () => {
    expect(mp4Info(makeMp4({ width: 1280, height: 720, seconds: 12 }))).toEqual({
      width: 1280,
      height: 720,
      durationMs: 12_000,
    });
  });

  it('finds the moov box after the media data', () => {
    const bytes = makeMp4({ width: 720, height: 1280, seconds: 200, bytes: 50_000, moovLast: true });
    expect(bytes.length).toBe(50_000);
    expect(mp4Info(bytes)).toEqual({ width: 720, height: 1280, durationMs: 200_000 });
  });

  it('is null for what is not an MP4 it can read', () => {
    expect(mp4Info(Buffer.from('not a video at all'))).toBeNull();
    // An ftyp alone (no moov): nothing to read.
    expect(mp4Info(makeMp4({ width: 1, height: 1, seconds: 1 }).subarray(0, 32))).toBeNull();
  });
});
