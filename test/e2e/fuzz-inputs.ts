import { readdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { expect } from 'vitest';
import { photoJpeg } from '../fakes/images.js';
import type { FakeMediaServer } from '../fakes/media-server.js';
import type { Answer, TestHayon } from '../harness.js';

/**
 * Generators and checks shared by the fuzz suites (fuzz-api.test.ts, fuzz-hooks.test.ts).
 *
 * Huge strings and deep nesting travel through the generators as small markers
 * (`"@@huge:300000:x@@"`, `"@@deep:20000:array@@"`) that `serialize` expands into the sent bytes,
 * so a failing run prints a readable counterexample instead of megabytes.
 */

// ---------------------------------------------------------------- strings and markers

const hugeChars = { x: 'x', accent: 'é', emoji: '😀', nul: '\u0000', surrogate: '\ud800', quote: '"' } as const;
const nestings = {
  array: { open: '[', inner: '', close: ']' },
  object: { open: '{"a":', inner: '0', close: '}' },
  mixed: { open: '[{"a":', inner: '0', close: '}]' },
} as const;

/** A string of `n` characters (around the limits: text 100 000, API body 256 KiB, hook body 1 MiB, MBs). */
export const hugeMarker = fc
  .tuple(
    fc.constantFrom(5_000, 100_001, 140_000, 300_000, 1_100_000, 3_000_000),
    fc.constantFrom(...(Object.keys(hugeChars) as (keyof typeof hugeChars)[])),
  )
  .map(([n, c]) => `@@huge:${n}:${c}@@`);

/** A JSON value nested `n` levels deep. */
export const deepMarker = fc
  .tuple(
    fc.constantFrom(50, 3_000, 20_000, 100_000),
    fc.constantFrom(...(Object.keys(nestings) as (keyof typeof nestings)[])),
  )
  .map(([n, kind]) => `@@deep:${n}:${kind}@@`);

const markers = /"@@(huge|deep):(\d+):(\w+)@@"/g;

/** The JSON text of a generated value, markers expanded. */
export function serialize(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(markers, (_, kind: string, n: string, arg: string) => {
    if (kind === 'huge') return JSON.stringify(hugeChars[arg as keyof typeof hugeChars].repeat(Number(n)));
    const { open, inner, close } = nestings[arg as keyof typeof nestings];
    return `${open.repeat(Number(n))}${inner}${close.repeat(Number(n))}`;
  });
}

/** A string holding an unpaired UTF-16 surrogate. */
export const surrogateString = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, s, b]) => a + s + b);

/** Short strings of every kind, surrogates included, and now and then a huge one. */
export const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: surrogateString },
  { weight: 1, arbitrary: hugeMarker },
);

/** Any JSON value: wrong types for every field, now and then deeply nested or huge. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 2, '', [], {}) },
  { weight: 2, arbitrary: anyString },
  { weight: 2, arbitrary: deepMarker },
);

/** `arb` once in `odds` draws, else null. */
export function rarely<T>(arb: fc.Arbitrary<T>, odds = 4): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: odds - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

/** A header value a Request accepts (Latin-1, no control characters), up to 300 characters. */
export const headerValue = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

// ---------------------------------------------------------------- times

const pad = (n: number, width: number) => `${n < 0 ? '-' : ''}${String(Math.abs(n)).padStart(width, '0')}`;

/** ISO-looking times with absurd parts: year 275760, month 13, 24:61, offset +99:99. */
const isoish = fc
  .record({
    year: fc.oneof(
      fc.integer({ min: -300_000, max: 300_000 }),
      fc.constantFrom(0, 1969, 2038, 9999, 275_760, -271_821),
    ),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    offset: fc.constantFrom('', 'Z', '+00:00', '-23:59', '+99:99', '+14:00', '+2400', ' Z'),
  })
  .map((t) => `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}${t.offset}`);

/** Real instants from the first to the last a Date can hold, as ISO text or epoch numbers. */
const extremeInstant = fc
  .integer({ min: -8.64e15, max: 8.64e15 })
  .chain((ms) => fc.constantFrom(new Date(ms).toISOString(), String(ms), String(Math.trunc(ms / 1000))));

const units = ['seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'years', 'centuries'] as const;
const amount = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom('1e20', '10^20', 'NaN', 'Infinity', '-0', '0.5', '9'.repeat(400), 'a million'),
);
const relative = fc
  .tuple(amount, fc.constantFrom(...units), fc.boolean())
  .map(([n, unit, ago]) => (ago ? `${n} ${unit} ago` : `in ${n} ${unit}`));

const phrases = fc.constantFrom(
  ...'now|in 2 hours|tomorrow 9am|next friday 17:30|yesterday|last year|year 275760|December 31, 275760'.split('|'),
  ...'the 31st of february|friday 25:61|noon tomorrow Europe/Berlin|tomorrow 9am Mars/Olympus'.split('|'),
  ...'in 2 hours UTC Europe/Berlin|from 9 to 5|midnight'.split('|'),
);

/** Time zones: real ones (odd offsets, lower case), and ones that are not IANA names. */
export const timezone = fc.oneof(
  fc.constantFrom('UTC', 'utc', 'Europe/Berlin', 'europe/berlin', 'Asia/Kathmandu', 'Pacific/Kiritimati'),
  fc.constantFrom('Etc/GMT-14', 'Australia/Lord_Howe', 'America/St_Johns', 'US/Pacific', 'Antarctica/Troll'),
  fc.constantFrom('Mars/Olympus', '+05:00', 'GMT+5', 'Etc/GMT+15', '', '  ', 'Europe/Berlin\u0000', '../../etc/passwd'),
  fc.constantFrom('Europe/', '/Berlin', 'Local', 'Z', 'x'.repeat(65)),
  anyString,
);

/** `when` as a person or a program might write it, absurd or not. */
export const when = fc.oneof(
  { weight: 3, arbitrary: phrases },
  { weight: 2, arbitrary: isoish },
  { weight: 2, arbitrary: extremeInstant },
  { weight: 2, arbitrary: relative },
  { weight: 1, arbitrary: fc.tuple(phrases, timezone).map(([p, tz]) => `${p} ${tz}`) },
  { weight: 1, arbitrary: anyString },
);

// ---------------------------------------------------------------- URLs and media

/** Paths the fuzz suites' media server answers (`/missing.png` with a 404). */
export const mediaPaths = ['/photo.jpg', '/notes.txt', '/fake.png', '/big.jpg', '/to-private', '/missing.png'];

/** The largest attachment the fuzz suites' hayon takes (`HAYON_MEDIA_MAX_BYTES`); `/big.jpg` is larger. */
export const fuzzMediaMaxBytes = 200_000;

/** A photo, a text and a GIF that claim to be images, a JPEG over the size limit, a redirect to a private address. */
export async function serveFuzzMedia(web: FakeMediaServer): Promise<void> {
  const photo = await photoJpeg(64, 48);
  web.file('/photo.jpg', photo, 'image/jpeg');
  web.file('/notes.txt', Buffer.from('just some text'), 'image/jpeg');
  web.file('/fake.png', Buffer.from('GIF89a, not a PNG'), 'image/png');
  web.file('/big.jpg', Buffer.concat([photo, Buffer.alloc(fuzzMediaMaxBytes)]), 'image/jpeg');
  web.redirect('/to-private', 'http://127.0.0.1:9/x.jpg');
}

const privateUrls =
  'http://127.0.0.1:9/x.jpg http://[::1]/a.png http://10.0.0.1/a.jpg http://169.254.169.254/latest/meta-data ' +
  'http://0/ http://2130706433/ http://0x7f.1/ https://localhost/a.jpg http://[::ffff:127.0.0.1]/';
const otherUrls =
  'file:///etc/passwd data:image/png;base64,iVBORw0KGgo= javascript:alert(1) ftp://127.0.0.1/x //127.0.0.1/x http:// a:b';

/**
 * URLs that never leave the machine: the local media server (files, a 404, a lie about the type,
 * one too large, a redirect to a private address), private and odd IP literals, other schemes,
 * and junk. No host name needs DNS.
 */
export function url(origin: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...mediaPaths).map((p) => `${origin}${p}`) },
    { weight: 1, arbitrary: fc.nat(3_000).map((n) => `${origin}/${'a'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.string().map((s) => `${origin}/${encodeURIComponent(s)}?q=${encodeURIComponent(s)}`) },
    { weight: 2, arbitrary: fc.constantFrom(...privateUrls.split(' ')) },
    { weight: 2, arbitrary: fc.constantFrom(...otherUrls.split(' '), 'not a url', '') },
    { weight: 1, arbitrary: anyString },
  );
}

/** An upload id: well-formed but unknown, or malformed. */
export const uploadId = fc.oneof(
  fc.uuid().map((u) => `${u}.jpg`),
  fc.uuid().map((u) => `${u}.exe`),
  fc.constantFrom('../../hayon.db', '00000000-0000-0000-0000-000000000000.png'),
  anyString,
);

export function mediaItem(origin: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({ url: url(origin), id: uploadId, alt: anyString }, { requiredKeys: [] });
}

// ---------------------------------------------------------------- mutations

type Segment = string | number;

function pathsOf(value: unknown, at: Segment[] = [], out: Segment[][] = []): Segment[][] {
  out.push(at);
  if (at.length > 6) return out;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

type Mutation =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'toString')),
      value: anyValue,
    }),
  },
);

function apply(root: unknown, m: Mutation): unknown {
  const paths = pathsOf(root);
  const at = paths[m.at % paths.length] ?? [];
  const target = at.reduce<Answer>((v, k) => v[k], root);
  if (m.kind === 'add') {
    if (target && typeof target === 'object' && !Array.isArray(target)) {
      // defineProperty, so that `__proto__` becomes an own key as JSON.parse makes it.
      Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
    return root;
  }
  if (at.length === 0) return m.kind === 'set' ? m.value : root;
  const parent = at.slice(0, -1).reduce<Answer>((v, k) => v[k], root);
  const key = at[at.length - 1] as Segment;
  if (m.kind === 'set') parent[key] = m.value;
  else if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return root;
}

/** `base`, with up to three fields set to wrong values, removed or added. */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(base, fc.array(mutation, { maxLength: 3 }))
    .map(([value, ms]) => ms.reduce((v, m) => apply(v, m), JSON.parse(JSON.stringify(value)) as unknown));
}

/** Whether every step of a field path (`overrides.bluesky.media[0].url`) but the last is in `body`. */
export function fieldIsInBody(body: unknown, field: string): boolean {
  const steps = field.match(/[^.[\]]+/g) ?? [];
  let value: Answer = body;
  for (const [i, step] of steps.entries()) {
    if (typeof value === 'string' && value.startsWith('@@')) return true;
    if (value === null || typeof value !== 'object') return false;
    if (!Object.hasOwn(value, step)) return i === steps.length - 1;
    value = value[step];
  }
  return steps.length > 0;
}

// ---------------------------------------------------------------- bytes

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Byte sequences UTF-8 forbids: a lone continuation, an overlong `/`, an encoded surrogate, a cut-off character. */
const badUtf8 = fc.constantFrom(
  [0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
);

/** Bodies that are not JSON, not UTF-8, or JSON in another encoding (a long one prints shortened). */
export function rawBody(json: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  return fc
    .oneof(
      fc.tuple(json, badUtf8, fc.nat()).map(([text, bad, at]) => {
        const bytes = encoder.encode(text);
        const i = bytes.length ? at % bytes.length : 0;
        return Uint8Array.from([...bytes.subarray(0, i), ...bad, ...bytes.subarray(i)]);
      }),
      json.map((text) => Uint8Array.from(Buffer.from(`\ufeff${text}`, 'utf16le'))),
      json.map((text) => Uint8Array.from(Buffer.from(text, 'latin1'))),
      fc.uint8Array({ maxLength: 300 }),
      fc.constantFrom(new Uint8Array(0), encoder.encode('{"text":'), encoder.encode('\u0000'), encoder.encode('null')),
    )
    .map((bytes) => {
      if (bytes.length <= 300) return bytes;
      const start = JSON.stringify(Buffer.from(bytes.subarray(0, 120)).toString('latin1'));
      return named(bytes, `${bytes.length} bytes (UTF-8: ${isUtf8(bytes)}) from ${start}…`);
    });
}

// ---------------------------------------------------------------- checks

/** Bytes that print as a short note in a counterexample instead of every byte. */
export function named(bytes: Uint8Array, name: string): Uint8Array {
  return Object.assign(bytes, { [fc.toStringMethod]: () => name });
}

/** How a 4xx's `error.field` is judged; `html` for the browser pages, whose refusals are HTML. */
export type FieldCheck = ((field: string) => boolean) | 'html';

/**
 * Sends requests and checks what every answer keeps: never a 5xx; a 4xx is JSON whose
 * `error.field` is a non-empty string that the route's check accepts; a 4xx changes no row count
 * of any SQLite table (read through a read-only connection of its own) and no file under the
 * media directory. A 2xx may write. Counts answers by status per route, to print at the end.
 */
export class Fuzzer {
  readonly #db: Database.Database;
  readonly #counts: Database.Statement[];
  readonly #tally = new Map<string, Map<number, number>>();

  constructor(private readonly h: TestHayon) {
    this.#db = new Database(path.join(h.dataDir, 'hayon.db'), { readonly: true, fileMustExist: true });
    const tables = this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    this.#counts = tables.map((t) => this.#db.prepare(`SELECT '${t}' AS t, count(*) AS n FROM "${t}"`));
  }

  async counts(): Promise<Record<string, number>> {
    const rows = Object.fromEntries(this.#counts.map((s) => Object.values(s.get() as object) as [string, number]));
    const media = path.join(this.h.dataDir, 'media');
    const files = await readdir(media, { recursive: true, withFileTypes: true }).catch(() => []);
    return { ...rows, mediaFiles: files.filter((f) => f.isFile()).length };
  }

  /** One request; `route` names it in the tally. Returns the status and the answer (parsed when JSON). */
  async send(
    route: string,
    path: string,
    init: RequestInit,
    fieldOk: FieldCheck,
  ): Promise<{ status: number; answer: Answer }> {
    const before = await this.counts();
    const res = await this.h.request(path, init);
    const text = await res.text();
    const counts = this.#tally.get(route) ?? new Map<number, number>();
    this.#tally.set(route, counts.set(res.status, (counts.get(res.status) ?? 0) + 1));
    const what = `${init.method} ${path.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    if (res.status >= 400) expect(await this.counts(), `${what}: a 4xx wrote`).toEqual(before);
    const answer: Answer = text.startsWith('{') ? JSON.parse(text) : text;
    if (res.status < 400 || fieldOk === 'html') return { status: res.status, answer };
    expect(answer?.error?.code, what).toMatch(/^[a-z_]+$/);
    expect(typeof answer.error.message === 'string' && answer.error.message.length > 0, what).toBe(true);
    expect(typeof answer.error.field === 'string' && answer.error.field.length > 0, `${what}: no field`).toBe(true);
    expect(fieldOk(answer.error.field), `${what}: field ${answer.error.field}`).toBe(true);
    return { status: res.status, answer };
  }

  /** The answers by status per route: what the generated input reached. */
  summary(): string {
    const lines = [...this.#tally].map(([route, counts]) => {
      const byStatus = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
      return `  ${route}: ${byStatus.join(' ')}`;
    });
    return lines.join('\n');
  }

  close(): void {
    this.#db.close();
  }
}
