/**
 * IANA time-zone arithmetic with `Intl` alone: the offset of a zone at an instant, and the
 * instant of a wall-clock time in a zone, correct across daylight-saving changes.
 */

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
const nameFormatters = new Map<string, Intl.DateTimeFormat[]>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `timeZone` at instant `at`. */
export function wallClockAt(at: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const n = (k: string) => Number(parts[k]);
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
  };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at `at`, in minutes (Berlin in winter: 60). */
export function offsetMinutes(at: number, timeZone: string): number {
  const whole = Math.floor(at / 1000) * 1000;
  return Math.round((asUtc(wallClockAt(whole, timeZone)) - whole) / 60_000);
}

/**
 * The instant at which `timeZone`'s clocks show `wall`. A wall time that happens twice (clocks
 * turned back) gives the earlier instant; one that never happens (clocks turned forward) is
 * moved forward by the gap, so 02:30 on a spring-forward night in Berlin becomes 03:30 CEST.
 * These are the rules of Temporal's `disambiguation: 'compatible'`.
 */
export function wallClockToInstant(wall: WallClock, timeZone: string): number {
  const local = asUtc(wall);
  const day = 86_400_000;
  const before = offsetMinutes(local - day, timeZone);
  const after = offsetMinutes(local + day, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => local - offset * 60_000)
    .filter((t) => asUtc(wallClockAt(t, timeZone)) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - before * 60_000;
}

// en-US alone writes most zones outside the Americas as "GMT+1"; these locales know the
// abbreviations of their regions (CET, BST, AEST, IST, JST).
const nameLocales = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'ja-JP'];

/** The zone's short name at `at`: an abbreviation where one is known, else like `GMT+9`. */
function shortZoneName(at: number, timeZone: string): string {
  let names = nameFormatters.get(timeZone);
  if (!names) {
    names = nameLocales.map((locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }));
    nameFormatters.set(timeZone, names);
  }
  let fallback: string | undefined;
  for (const f of names) {
    const name = f.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value;
    if (name && /^[A-Z]{2,5}$/.test(name)) return name;
    fallback ??= name;
  }
  return fallback ?? timeZone;
}

/**
 * The zone as Intl spells it when only the case differs ("europe/berlin" → "Europe/Berlin").
 * Other differences are kept: Intl would turn Asia/Kolkata into the older Asia/Calcutta.
 */
export function zoneName(timeZone: string): string {
  let name = zoneNames.get(timeZone);
  if (name === undefined) {
    const resolved = formatter(timeZone).resolvedOptions().timeZone;
    name = resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
    remember(zoneNames, timeZone, name);
  }
  return name;
}

// Pure functions of their arguments, asked the same again and again (each post's time is written
// when it is read and again in the answer): the last answers are kept, a few thousand at most.
const zoneNames = new Map<string, string>();
const written = new Map<string, string>();
function remember(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= 4096) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** `2026-11-29 09:00 CET (Europe/Berlin)`: how hayon writes a time back to its author. */
export function formatInZone(at: number, timeZone: string): string {
  // To the minute, as written: every instant of one UTC minute reads the same (zone offsets are
  // whole minutes since the local mean times of before 1940), so posts made in one minute share it.
  const key = `${Math.floor(at / 60_000)}\n${timeZone}`;
  let text = written.get(key);
  if (text === undefined) {
    text = writeInZone(at, timeZone);
    remember(written, key, text);
  }
  return text;
}

function writeInZone(at: number, timeZone: string): string {
  const w = wallClockAt(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const short = shortZoneName(at, timeZone);
  const name = short === timeZone ? timeZone : `${short} (${timeZone})`;
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${name}`;
}
