import * as chrono from 'chrono-node';
import { HayonError } from './errors.js';
import { formatInZone, isValidTimeZone, offsetMinutes, wallClockToInstant } from './time-zone.js';

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

const defaults = { graceMs: 60_000, maxAheadMs: 366 * 86_400_000 };

/** An IANA name inside the text ("friday 17:30 Europe/Berlin"), which overrides the author's zone. */
const zoneInText = /(?:^|\s)(?:in\s+)?([A-Z][A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2}|UTC)(?=\s|$)/;
/** Words that may surround a time without meaning anything on their own. */
const filler = /^[\s,.;:]*(?:(?:at|on|by|around|@)[\s,.;:]*)*$/i;

function scheduleError(message: string, field: 'when' | 'timezone' = 'when'): HayonError {
  return new HayonError('invalid_schedule', message, { field, userMessage: message });
}

/**
 * Reads `when` ("now", an ISO 8601 time, or words like "in 2 hours", "tomorrow 9am",
 * "next friday 17:30", "9am Europe/Berlin") in the author's IANA zone and returns the UTC instant.
 *
 * Relative phrases ("in 2 hours") count from `now`; calendar phrases ("tomorrow 9am") are wall
 * clock times in the zone, resolved DST-correctly (see `wallClockToInstant`). Text that is not
 * fully understood, a time in the past (beyond `graceMs`) or too far ahead is a 400 on `when`
 * whose message says what was understood.
 *
 * @example parseWhen('tomorrow 9am', { timezone: 'Europe/Berlin', now: Date.now() })
 */
export function parseWhen(input: string | undefined, options: ParseWhenOptions): ResolvedSchedule {
  const { now } = options;
  const graceMs = options.graceMs ?? defaults.graceMs;
  const maxAheadMs = options.maxAheadMs ?? defaults.maxAheadMs;
  if (!isValidTimeZone(options.timezone)) {
    throw scheduleError(
      `"${options.timezone}" is not an IANA time zone (like Europe/Berlin or America/New_York).`,
      'timezone',
    );
  }
  let text = (input ?? '').trim();
  let timezone = options.timezone;
  const zone = zoneInText.exec(text);
  if (zone?.[1] && isValidTimeZone(zone[1])) {
    timezone = zone[1];
    text = (text.slice(0, zone.index) + text.slice(zone.index + zone[0].length)).trim();
  }
  const at = text === '' || /^now$/i.test(text) ? now : resolve(text, timezone, now);
  const resolved = { at, timezone, local: formatInZone(at, timezone) };
  const quoted = input?.trim() ? `"${input.trim()}" is ${resolved.local}` : resolved.local;
  if (at < now - graceMs) throw scheduleError(`${quoted}, which is in the past.`);
  if (at > now + maxAheadMs) throw scheduleError(`${quoted}, which is more than a year ahead.`);
  return resolved;
}

function resolve(text: string, timezone: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return at;
  }
  const results = chrono.parse(
    text,
    { instant: new Date(now), timezone: offsetMinutes(now, timezone) },
    { forwardDate: true },
  );
  const [result] = results;
  if (!result || results.length > 1)
    throw scheduleError(`Could not read a time in "${text}". Try "in 2 hours", "tomorrow 9am" or an ISO time.`);
  const rest = text.slice(0, result.index) + text.slice(result.index + result.text.length);
  if (!filler.test(rest)) {
    throw scheduleError(
      `Could not read "${rest.trim()}" in "${text}". Try "in 2 hours", "tomorrow 9am" or an ISO time.`,
    );
  }
  const start = result.start;
  // An offset chrono is certain of comes from the text ("9am CET", "…Z") or from a relative
  // phrase ("in 2 hours"): the instant is then exact. Otherwise the components are a wall clock.
  if (start.isCertain('timezoneOffset')) return start.date().getTime();
  const get = (k: chrono.Component) => start.get(k) ?? 0;
  return wallClockToInstant(
    {
      year: get('year'),
      month: get('month'),
      day: get('day'),
      hour: get('hour'),
      minute: get('minute'),
      second: get('second'),
    },
    timezone,
  );
}
