// bench/media: the image steps of the media layer on a 12-megapixel photo-like JPEG (gradient, blobs and noise,
// EXIF with orientation and GPS): normalizeImage, fitImage to Bluesky's 1,000,000 bytes and to an Instagram-like
// 8 MB / 1440 px. Prints the median of a few runs per step, and peak RSS (sampled every 5 ms) with its rise over
// the RSS just before the step.
// A step whose output breaks its limit (bytes, pixels) or fails makes the run print no figure.
//   npx tsx bench/media.ts [--runs 5]
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { fitImage, normalizeImage, type ProcessedImage } from '../src/media/process.js';
import { assertAllOk } from './lib/check.js';
import { fmt, percentile, table } from './lib/stats.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

function photoLikePixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const base = [(255 * x) / width, (255 * y) / height, 128 + 60 * Math.sin(x / 180) * Math.cos(y / 140)];
      for (let c = 0; c < 3; c++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        data[i + c] = Math.max(0, Math.min(255, base[c]! + ((seed >> 16) % 49) - 24));
      }
    }
  }
  return data;
}

const input = await sharp(photoLikePixels(4000, 3000), { raw: { width: 4000, height: 3000, channels: 3 } })
  .jpeg({ quality: 92 })
  .withExif({ IFD0: { Make: 'Bench', Model: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 12/1' } })
  .withMetadata({ orientation: 6 })
  .toBuffer();

interface Step {
  name: string;
  run: () => Promise<ProcessedImage>;
  /** What its output must stay within. */
  maxBytes?: number;
  maxDimension?: number;
}
const steps: Step[] = [
  { name: 'normalizeImage', run: () => normalizeImage(input, 'image/jpeg') },
  {
    name: 'fitImage 1,000,000 B (Bluesky)',
    run: () => fitImage(input, 'image/jpeg', { maxBytes: 1_000_000 }),
    maxBytes: 1_000_000,
  },
  {
    name: 'fitImage 8 MB, 1440 px (Instagram)',
    run: () => fitImage(input, 'image/jpeg', { maxBytes: 8_000_000, maxDimension: 1440 }),
    maxBytes: 8_000_000,
    maxDimension: 1440,
  },
];

const rows: Record<string, string>[] = [];
const problems: string[] = [];
for (const step of steps) {
  await step.run(); // warm-up
  const times: number[] = [];
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  let out: ProcessedImage | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    out = await step.run();
    times.push(performance.now() - started);
  }
  clearInterval(sampler);
  if (!out || (step.maxBytes && out.bytes.length > step.maxBytes))
    problems.push(`${step.name}: ${out ? `${out.bytes.length} bytes` : 'no output'}, over ${step.maxBytes}`);
  if (out && step.maxDimension && Math.max(out.width, out.height) > step.maxDimension)
    problems.push(`${step.name}: ${out.width}×${out.height}, over ${step.maxDimension} px`);
  peak = Math.max(peak, process.memoryUsage().rss);
  rows.push({
    step: step.name,
    median: fmt(percentile(times, 50)),
    min: fmt(Math.min(...times)),
    max: fmt(Math.max(...times)),
    output: out ? `${out.width}×${out.height}, ${mb(out.bytes.length)}` : '',
    'peak RSS': mb(peak),
    'Δ RSS': mb(peak - before),
  });
}

assertAllOk('bench/media', { problems });
console.log(
  `\nbench/media: 4000×3000 JPEG, ${mb(input.length)}, EXIF orientation 6 + GPS; ${runs} runs per step after 1 warm-up;` +
    ` sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, concurrency ${sharp.concurrency()}`,
);
console.log(table(rows));
