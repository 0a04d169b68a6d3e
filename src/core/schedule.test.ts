import { describe, expect, it } from 'vitest';
import { HayonError } from './errors.js';
import { parseWhen } from './schedule.js';
import { formatInZone, offsetMinutes, wallClockToInstant } from './time-zone.js';

const iso = (at: number) => new Date(at).toISOString();
// Saturday 2026-11-28 23:30 UTC: already Sunday in Berlin (00:30) and Tokyo (08:30), still
// Saturday in New York (18:30). "Tomorrow" differs per zone.
const now = Date.parse('2026-11-28T23:30:00Z');

describe('parseWhen: phrases in four zones', () => {
  const cases: [string, string, string][] = [
    ['tomorrow 9am', 'UTC', '2026-11-29T09:00:00.000Z'],
    ['tomorrow 9am', 'Europe/Berlin', '2026-11-30T08:00:00.000Z'],
    ['tomorrow 9am', 'Asia/Tokyo', '2026-11-30T00:00:00.000Z'],
    ['tomorrow 9am', 'America/New_York', '2026-11-29T14:00:00.000Z'],
    ['9am', 'UTC', '2026-11-29T09:00:00.000Z'],
    ['9am', 'Europe/Berlin', '2026-11-29T08:00:00.000Z'],
    ['9am', 'Asia/Tokyo', '2026-11-29T00:00:00.000Z'],
    ['9am', 'America/New_York', '2026-11-29T14:00:00.000Z'],
    ['in 2 hours', 'UTC', '2026-11-29T01:30:00.000Z'],
    ['in 2 hours', 'Asia/Tokyo', '2026-11-29T01:30:00.000Z'],
    ['in 30 minutes', 'America/New_York', '2026-11-29T00:00:00.000Z'],
    ['tomorrow at noon', 'Europe/Berlin', '2026-11-30T11:00:00.000Z'],
    ['tomorrow at noon', 'America/New_York', '2026-11-29T17:00:00.000Z'],
    ['next friday 17:30', 'Europe/Berlin', '2026-12-04T16:30:00.000Z'],
    ['friday 17:30', 'America/New_York', '2026-12-04T22:30:00.000Z'],
    ['friday 17:30', 'Asia/Tokyo', '2026-12-04T08:30:00.000Z'],
    ['dec 24 18:00', 'Europe/Berlin', '2026-12-24T17:00:00.000Z'],
    ['dec 24 18:00', 'UTC', '2026-12-24T18:00:00.000Z'],
    ['2026-12-01T09:00', 'Europe/Berlin', '2026-12-01T08:00:00.000Z'],
    ['2026-12-01T09:00', 'America/New_York', '2026-12-01T14:00:00.000Z'],
    ['2026-12-01T09:00:00Z', 'Asia/Tokyo', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00:00+01:00', 'UTC', '2026-12-01T08:00:00.000Z'],
    ['now', 'Europe/Berlin', '2026-11-28T23:30:00.000Z'],
    ['', 'Asia/Tokyo', '2026-11-28T23:30:00.000Z'],
  ];
  it.each(cases)('%s in %s → %s', (when, timezone, expected) => {
    expect(iso(parseWhen(when, { timezone, now }).at)).toBe(expected);
  });

  it('is now when no time is given', () => {
    expect(parseWhen(undefined, { timezone: 'UTC', now }).at).toBe(now);
  });

  it('reads an IANA zone inside the text instead of the author zone', () => {
    const r = parseWhen('9am Europe/Berlin', { timezone: 'America/New_York', now });
    expect(iso(r.at)).toBe('2026-11-29T08:00:00.000Z');
    expect(r.timezone).toBe('Europe/Berlin');
    expect(iso(parseWhen('friday 17:30 Europe/Berlin', { timezone: 'Asia/Tokyo', now }).at)).toBe(
      '2026-12-04T16:30:00.000Z',
    );
  });

  it('echoes the time in the zone', () => {
    expect(parseWhen('tomorrow 9am', { timezone: 'Europe/Berlin', now }).local).toBe(
      '2026-11-30 09:00 GMT+1 (Europe/Berlin)',
    );
    expect(parseWhen('tomorrow 9am', { timezone: 'America/New_York', now }).local).toBe(
      '2026-11-29 09:00 EST (America/New_York)',
    );
    expect(parseWhen('tomorrow 9am', { timezone: 'UTC', now }).local).toBe('2026-11-29 09:00 UTC');
  });
});

describe('parseWhen: daylight-saving days', () => {
  const cases: [string, string, string, string][] = [
    // EU spring forward 2026-03-29 02:00 → 03:00; fall back 2026-10-25 03:00 → 02:00.
    ['tomorrow 9am', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-29T07:00:00.000Z'],
    ['tomorrow 9am', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-25T08:00:00.000Z'],
    // US spring forward 2026-03-08, fall back 2026-11-01.
    ['tomorrow 9am', 'America/New_York', '2026-03-07T17:00:00Z', '2026-03-08T13:00:00.000Z'],
    ['tomorrow 9am', 'America/New_York', '2026-10-31T16:00:00Z', '2026-11-01T14:00:00.000Z'],
    // A wall time in the spring-forward gap moves forward by the gap: 02:30 → 03:30 CEST.
    ['2026-03-29T02:30', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-29T01:30:00.000Z'],
    // A wall time that happens twice is the earlier one: 02:30 CEST.
    ['2026-10-25T02:30', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-25T00:30:00.000Z'],
    ['2026-11-01T01:30', 'America/New_York', '2026-10-31T16:00:00Z', '2026-11-01T05:30:00.000Z'],
    // Relative phrases are elapsed time, whatever the clocks do.
    ['in 2 hours', 'Europe/Berlin', '2026-03-29T00:30:00Z', '2026-03-29T02:30:00.000Z'],
  ];
  it.each(cases)('%s in %s at %s → %s', (when, timezone, at, expected) => {
    expect(iso(parseWhen(when, { timezone, now: Date.parse(at) }).at)).toBe(expected);
  });

  it('writes summer and winter time by their names', () => {
    expect(formatInZone(Date.parse('2026-03-29T07:00:00Z'), 'America/New_York')).toBe(
      '2026-03-29 03:00 EDT (America/New_York)',
    );
    expect(offsetMinutes(Date.parse('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(120);
  });

  it('turns a wall clock into an instant in zones without DST and east of UTC', () => {
    const wall = { year: 2026, month: 7, day: 1, hour: 0, minute: 15, second: 0 };
    expect(iso(wallClockToInstant(wall, 'Asia/Kolkata'))).toBe('2026-06-30T18:45:00.000Z');
    expect(iso(wallClockToInstant(wall, 'Australia/Lord_Howe'))).toBe('2026-06-30T13:45:00.000Z');
  });
});

describe('parseWhen: refusals', () => {
  const refuse = (when: string | undefined, timezone = 'Europe/Berlin') => {
    try {
      parseWhen(when, { timezone, now });
    } catch (e) {
      expect(e).toBeInstanceOf(HayonError);
      const he = e as HayonError;
      expect(he.code).toBe('invalid_schedule');
      expect(he.status).toBe(400);
      return he;
    }
    throw new Error(`"${when}" was accepted`);
  };

  it('refuses words it cannot read', () => {
    expect(refuse('banana').field).toBe('when');
    expect(refuse('banana').userMessage).toMatch(/Could not read a time in "banana"/);
    expect(refuse('tomorrow banana').userMessage).toMatch(/Could not read "banana" in "tomorrow banana"/);
  });

  it('refuses a time in the past and says what it understood', () => {
    expect(refuse('yesterday 9am').userMessage).toBe(
      '"yesterday 9am" is 2026-11-28 09:00 GMT+1 (Europe/Berlin), which is in the past.',
    );
    expect(refuse('2020-01-01T00:00:00Z').userMessage).toMatch(/in the past/);
  });

  it('accepts a time just past within the grace, not beyond', () => {
    expect(parseWhen(iso(now - 30_000), { timezone: 'UTC', now }).at).toBe(now - 30_000);
    refuse(iso(now - 120_000));
  });

  it('refuses more than a year ahead', () => {
    expect(refuse('in 3 years').userMessage).toMatch(/more than a year ahead/);
  });

  it('refuses an unknown zone on the timezone field', () => {
    const e = refuse('tomorrow 9am', 'Mars/Olympus');
    expect(e.field).toBe('timezone');
    expect(e.userMessage).toMatch(/"Mars\/Olympus" is not an IANA time zone/);
  });
});
