import * as chrono from 'chrono-node';
import { HayonError } from './errors.js';
import {
  formatInZone,
  isValidTimeZone,
  type WallClock,
  wallClockAt,
  wallClockToInstant,
  zoneName,
} from './time-zone.js';

export { formatInZone, isValidTimeZone } from './time-zone.js';

export interface ResolvedSchedule {
  /** UTC epoch ms. */
  at: number;
  /** The IANA zone the input was read in. */
  timezone: string;
  /** The resolved time written in that zone, e.g. `2026-11-29 09:00 CET (Europe/Berlin)`. */
  local: string;
}

export interface ParseWhenOptions {
  timezone: string;
  now: number;
  /** How far in the past a time may be and still mean "now" (default 60 s). */
  graceMs?: number;
  /** How far ahead a time may be (default 366 days). */
  maxAheadMs?: number;
}

const dayMs = 86_400_000;
const defaults = { graceMs: 60_000, maxAheadMs: 366 * dayMs };
const hint = 'Try "in 2 hours", "tomorrow 9am", "friday 17:30 Europe/Berlin" or an ISO time like 2026-12-24T18:00.';

/** A zone name inside the text ("friday 17:30 Europe/Berlin", "9am in UTC"); it overrides the author's zone. */
const zoneInText = /(?:^|\s)(?:in\s+)?([a-z][a-z_-]*(?:\/[a-z0-9_+-]+)+|utc)(?=\s|$)/i;
/** Words that may surround a time without meaning anything on their own. */
const filler = /^[\s,.;:]*(?:(?:at|on|by|around|@)[\s,.;:]*)*$/i;
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function scheduleError(message: string, field: 'when' | 'timezone' = 'when'): HayonError {
  return new HayonError('invalid_schedule', message, { field, userMessage: message });
}

function badZone(zone: string, field: 'when' | 'timezone'): HayonError {
  return scheduleError(`"${zone}" is not an IANA time zone (like Europe/Berlin or America/New_York).`, field);
}

/**
 * Reads `when` ("now", an ISO 8601 time, or words like "in 2 hours", "tomorrow 9am",
 * "next friday 17:30", "9am Europe/Berlin") in the author's IANA zone and returns the UTC instant.
 *
 * Relative phrases ("in 2 hours") are elapsed time from `now`; calendar phrases ("tomorrow 9am")
 * are wall-clock times in the zone, resolved DST-correctly (see `wallClockToInstant`: a time in a
 * spring-forward gap moves forward by the gap, a fall-back time that happens twice is the
 * earlier). Text that is not entirely understood, a range, a time in the past (beyond `graceMs`;
 * within it the instant is kept as is, and is due at once) or too far ahead is a 400 on `when`
 * whose message says what was understood.
 *
 * @example parseWhen('tomorrow 9am', { timezone: 'Europe/Berlin', now: Date.now() })
 */
export function parseWhen(input: string | undefined, options: ParseWhenOptions): ResolvedSchedule {
  const { now } = options;
  if (!isValidTimeZone(options.timezone)) throw badZone(options.timezone, 'timezone');
  // "next slot" is resolved against the store when a post is made (services/posts/next-slot.ts).
  if (/^\s*next\s+(?:free\s+)?slot\s*$/i.test(input ?? '')) {
    throw scheduleError(
      '"next slot" takes the next free slot of the workspace\'s queue when a post is made; here, give a time such as "tomorrow 9am".',
    );
  }
  const { text, timezone } = splitZone((input ?? '').trim(), zoneName(options.timezone));
  const at = text === '' || /^now$/i.test(text) ? now : resolve(text, timezone, now);
  const resolved = { at, timezone, local: formatInZone(at, timezone) };
  checkRange(resolved, input, options);
  return resolved;
}

/** Takes a zone name out of the text, so chrono never sees it. */
function splitZone(input: string, authorZone: string): { text: string; timezone: string } {
  const match = zoneInText.exec(input);
  const zone = match?.[1];
  if (!match || !zone) return { text: input, timezone: authorZone };
  if (!isValidTimeZone(zone)) throw badZone(zone, 'when');
  const text = `${input.slice(0, match.index)} ${input.slice(match.index + match[0].length)}`.trim();
  if (zoneInText.test(text)) throw scheduleError(`"${input}" names more than one time zone.`);
  return { text, timezone: zoneName(zone) };
}

function checkRange(resolved: ResolvedSchedule, input: string | undefined, options: ParseWhenOptions): void {
  const graceMs = options.graceMs ?? defaults.graceMs;
  const maxAheadMs = options.maxAheadMs ?? defaults.maxAheadMs;
  const understood = input?.trim() ? `"${input.trim()}" is ${resolved.local}` : resolved.local;
  if (resolved.at < options.now - graceMs) throw scheduleError(`${understood}, which is in the past.`);
  if (resolved.at > options.now + maxAheadMs) {
    throw scheduleError(`${understood}, which is more than ${describeSpan(maxAheadMs)} ahead.`);
  }
}

function describeSpan(ms: number): string {
  if (ms === defaults.maxAheadMs) return 'a year';
  if (ms % dayMs === 0) return `${ms / dayMs} days`;
  return `${Math.round(ms / 60_000)} minutes`;
}

function resolve(text: string, timezone: string, now: number): number {
  return parseIso(text, timezone) ?? parseSpan(text, now) ?? parseWords(text, timezone, now);
}

/** "in 10 minutes", "in 2h", "in 30 sec": elapsed time from now, whatever the zone. */
const spanAhead = /^in\s+(\d{1,6})\s*(seconds?|sec|s|minutes?|mins?|m|hours?|hrs?|h)$/i;
const unitMs: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The commonest words, read without chrono (what it would give: an offset from now); anything
 * else, days and weeks included (chrono counts those in calendar days), goes to parseWords.
 */
function parseSpan(text: string, now: number): number | undefined {
  const m = spanAhead.exec(text);
  if (!m) return undefined;
  return now + Number(m[1]) * unitMs[m[2]!.charAt(0).toLowerCase()]!;
}

/** ISO 8601 date and time: with an offset that instant, without it a wall clock in the zone. */
function parseIso(text: string, timezone: string): number | undefined {
  const m = isoDateTime.exec(text);
  if (!m) return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  const wall: WallClock = { year: n(1), month: n(2), day: n(3), hour: n(4), minute: n(5), second: n(6) };
  if (!isRealWallClock(wall)) throw scheduleError(`"${text}" is not a date and time that exists. ${hint}`);
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = m[8];
  if (offset === undefined) return wallClockToInstant(wall, timezone) + ms;
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, ms) - offsetMs(offset);
}

function offsetMs(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return (offset.startsWith('-') ? -minutes : minutes) * 60_000;
}

function isRealWallClock(w: WallClock): boolean {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
  return (
    d.getUTCFullYear() === w.year &&
    d.getUTCMonth() === w.month - 1 &&
    d.getUTCDate() === w.day &&
    d.getUTCHours() === w.hour &&
    d.getUTCMinutes() === w.minute &&
    d.getUTCSeconds() === w.second
  );
}

function parseWords(text: string, timezone: string, now: number): number {
  const reference = localReference(now, timezone);
  const results = chrono.casual.parse(text, reference, { forwardDate: true });
  const [result] = results;
  if (!result) throw scheduleError(`Could not read a time in "${text}". ${hint}`);
  const rest = text.slice(0, result.index) + text.slice(result.index + result.text.length);
  if (!filler.test(rest)) throw scheduleError(`Could not read "${rest.trim()}" in "${text}". ${hint}`);
  if (result.end) throw scheduleError(`"${text}" is a range; give the single time to publish at.`);
  return instantOf(result.start, reference, timezone, now);
}

/**
 * chrono works out "tomorrow", weekdays and which "friday" or "9am" comes next in the machine's
 * local calendar fields, and compares results with its reference in those fields. A reference
 * whose local fields show the author's wall clock makes all of that happen in the author's
 * calendar, whatever the machine's zone (exact when the machine runs UTC, as servers do).
 */
function localReference(now: number, timezone: string): Date {
  const w = wallClockAt(now, timezone);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, now % 1000);
}

function instantOf(start: chrono.ParsedComponents, reference: Date, timezone: string, now: number): number {
  const tags = start.tags();
  // "in 2 hours" is elapsed time, even across a clock change: an offset from the reference.
  if (tags.has('result/relativeDateAndTime') || tags.has('casualReference/now')) {
    return now + (start.date().getTime() - reference.getTime());
  }
  // An offset written in the text ("9am EST", "+02:00") makes the components an exact instant.
  if (start.isCertain('timezoneOffset')) return start.date().getTime();
  const get = (k: chrono.Component) => start.get(k) ?? 0;
  const wall = {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
  return wallClockToInstant(wall, timezone);
}
