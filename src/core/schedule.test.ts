import { describe, expect, it } from 'vitest';
import { HayonError } from './errors.js';
import { formatInZone, isValidTimeZone, parseWhen } from './schedule.js';
import { offsetMinutes, wallClockToInstant } from './time-zone.js';

const iso = (at: number) => new Date(at).toISOString();
// Saturday 2026-11-28 23:30 UTC: already Sunday in Berlin (00:30 CET) and Tokyo (08:30 JST),
// still Saturday in New York (18:30 EST). "Tomorrow" differs per zone.
const now = Date.parse('2026-11-28T23:30:00Z');
const at = (when: string | undefined, timezone: string, from = now) => iso(parseWhen(when, { timezone, now: from }).at);

type Row = [when: string, utc: string, berlin: string, newYork: string, tokyo: string];

describe('parseWhen: each phrase in UTC, Berlin, New York and Tokyo', () => {
  const rows: Row[] = [
    [
      'in 2 hours',
      '2026-11-29T01:30:00.000Z',
      '2026-11-29T01:30:00.000Z',
      '2026-11-29T01:30:00.000Z',
      '2026-11-29T01:30:00.000Z',
    ],
    [
      'in 30 minutes',
      '2026-11-29T00:00:00.000Z',
      '2026-11-29T00:00:00.000Z',
      '2026-11-29T00:00:00.000Z',
      '2026-11-29T00:00:00.000Z',
    ],
    [
      'tomorrow 9am',
      '2026-11-29T09:00:00.000Z',
      '2026-11-30T08:00:00.000Z',
      '2026-11-29T14:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ],
    [
      'tomorrow at noon',
      '2026-11-29T12:00:00.000Z',
      '2026-11-30T11:00:00.000Z',
      '2026-11-29T17:00:00.000Z',
      '2026-11-30T03:00:00.000Z',
    ],
    // "next friday" and "friday" both mean the coming one, Friday 4 December, in all four zones.
    [
      'next friday 17:30',
      '2026-12-04T17:30:00.000Z',
      '2026-12-04T16:30:00.000Z',
      '2026-12-04T22:30:00.000Z',
      '2026-12-04T08:30:00.000Z',
    ],
    [
      'friday 17:30',
      '2026-12-04T17:30:00.000Z',
      '2026-12-04T16:30:00.000Z',
      '2026-12-04T22:30:00.000Z',
      '2026-12-04T08:30:00.000Z',
    ],
    [
      'on friday at 5pm',
      '2026-12-04T17:00:00.000Z',
      '2026-12-04T16:00:00.000Z',
      '2026-12-04T22:00:00.000Z',
      '2026-12-04T08:00:00.000Z',
    ],
    // 9am has passed in UTC (23:30) and New York (18:30): the next 9am is tomorrow there.
    [
      '9am',
      '2026-11-29T09:00:00.000Z',
      '2026-11-29T08:00:00.000Z',
      '2026-11-29T14:00:00.000Z',
      '2026-11-29T00:00:00.000Z',
    ],
    [
      'dec 24 18:00',
      '2026-12-24T18:00:00.000Z',
      '2026-12-24T17:00:00.000Z',
      '2026-12-24T23:00:00.000Z',
      '2026-12-24T09:00:00.000Z',
    ],
    [
      'in 2 days',
      '2026-11-30T23:30:00.000Z',
      '2026-11-30T23:30:00.000Z',
      '2026-11-30T23:30:00.000Z',
      '2026-11-30T23:30:00.000Z',
    ],
    // An IANA zone in the text wins over the author's zone.
    [
      '9am Europe/Berlin',
      '2026-11-29T08:00:00.000Z',
      '2026-11-29T08:00:00.000Z',
      '2026-11-29T08:00:00.000Z',
      '2026-11-29T08:00:00.000Z',
    ],
    [
      'friday 17:30 Europe/Berlin',
      '2026-12-04T16:30:00.000Z',
      '2026-12-04T16:30:00.000Z',
      '2026-12-04T16:30:00.000Z',
      '2026-12-04T16:30:00.000Z',
    ],
    [
      'tomorrow 9am in Asia/Tokyo',
      '2026-11-30T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ],
    [
      'tomorrow 9am UTC',
      '2026-11-29T09:00:00.000Z',
      '2026-11-29T09:00:00.000Z',
      '2026-11-29T09:00:00.000Z',
      '2026-11-29T09:00:00.000Z',
    ],
    // ISO without an offset is a wall clock in the zone; with one it is that instant.
    [
      '2026-12-01T09:00',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T14:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ],
    [
      '2026-12-01 09:00:30',
      '2026-12-01T09:00:30.000Z',
      '2026-12-01T08:00:30.000Z',
      '2026-12-01T14:00:30.000Z',
      '2026-12-01T00:00:30.000Z',
    ],
    [
      '2026-12-01T09:00:00Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
    ],
    [
      '2026-12-01T09:00:00+01:00',
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
    ],
    [
      '2026-12-01T09:00:00.250-0500',
      '2026-12-01T14:00:00.250Z',
      '2026-12-01T14:00:00.250Z',
      '2026-12-01T14:00:00.250Z',
      '2026-12-01T14:00:00.250Z',
    ],
    [
      'now',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
    ],
    [
      '  NOW ',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
    ],
    [
      '',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.000Z',
    ],
  ];
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'] as const;
  const cases = rows.flatMap(([when, ...expected]) => zones.map((zone, i) => [when, zone, expected[i]] as const));
  it.each(cases)('"%s" in %s → %s', (when, timezone, expected) => {
    expect(at(when, timezone)).toBe(expected);
  });

  it('is now when no time is given', () => {
    expect(parseWhen(undefined, { timezone: 'Asia/Tokyo', now })).toEqual({
      at: now,
      timezone: 'Asia/Tokyo',
      local: '2026-11-29 08:30 JST (Asia/Tokyo)',
    });
  });

  it('reports the zone named in the text, spelled as IANA spells it', () => {
    expect(parseWhen('9am europe/berlin', { timezone: 'America/New_York', now })).toEqual({
      at: Date.parse('2026-11-29T08:00:00Z'),
      timezone: 'Europe/Berlin',
      local: '2026-11-29 09:00 CET (Europe/Berlin)',
    });
  });

  it('honours an offset or abbreviation written in the text, and echoes in the author zone', () => {
    const r = parseWhen('tomorrow 9am EST', { timezone: 'Europe/Berlin', now });
    expect(iso(r.at)).toBe('2026-11-30T14:00:00.000Z');
    expect(r.local).toBe('2026-11-30 15:00 CET (Europe/Berlin)');
  });

  it('echoes the time in the zone with its short name', () => {
    const local = (when: string, timezone: string) => parseWhen(when, { timezone, now }).local;
    expect(local('tomorrow 9am', 'Europe/Berlin')).toBe('2026-11-30 09:00 CET (Europe/Berlin)');
    expect(local('tomorrow 9am', 'America/New_York')).toBe('2026-11-29 09:00 EST (America/New_York)');
    expect(local('tomorrow 9am', 'Asia/Tokyo')).toBe('2026-11-30 09:00 JST (Asia/Tokyo)');
    expect(local('tomorrow 9am', 'UTC')).toBe('2026-11-29 09:00 UTC');
  });
});

describe('parseWhen: which day a weekday or a bare time means, in the author calendar', () => {
  const cases: [when: string, timezone: string, now: string, expected: string][] = [
    // Friday 08:00 in Tokyo, still Thursday in UTC: "friday 9:00" is in an hour, not next week.
    ['friday 9:00', 'Asia/Tokyo', '2026-12-03T23:00:00Z', '2026-12-04T00:00:00.000Z'],
    ['friday 7:00', 'Asia/Tokyo', '2026-12-03T23:00:00Z', '2026-12-10T22:00:00.000Z'],
    // Friday 20:00 in Los Angeles, already Saturday in UTC.
    ['friday 21:00', 'America/Los_Angeles', '2026-12-05T04:00:00Z', '2026-12-05T05:00:00.000Z'],
    ['friday 19:00', 'America/Los_Angeles', '2026-12-05T04:00:00Z', '2026-12-12T03:00:00.000Z'],
    ['9pm', 'America/Los_Angeles', '2026-12-05T04:00:00Z', '2026-12-05T05:00:00.000Z'],
    ['7pm', 'America/Los_Angeles', '2026-12-05T04:00:00Z', '2026-12-06T03:00:00.000Z'],
    ['tomorrow 9am', 'America/Los_Angeles', '2026-12-05T04:00:00Z', '2026-12-05T17:00:00.000Z'],
    // Christmas Eve 17:00 in Tokyo: "dec 24 18:00" is this year's, an hour away.
    ['dec 24 18:00', 'Asia/Tokyo', '2026-12-24T08:00:00Z', '2026-12-24T09:00:00.000Z'],
  ];
  it.each(cases)('"%s" in %s at %s → %s', (when, timezone, from, expected) => {
    expect(at(when, timezone, Date.parse(from))).toBe(expected);
  });
});

describe('parseWhen: daylight-saving days', () => {
  // EU: 2026-03-29 02:00 CET → 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST → 02:00 CET (01:00Z).
  // US: 2026-03-08 02:00 EST → 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT → 01:00 EST (06:00Z).
  const cases: [when: string, timezone: string, now: string, expected: string][] = [
    ['tomorrow 9am', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-29T07:00:00.000Z'],
    ['tomorrow 9am', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-25T08:00:00.000Z'],
    ['tomorrow 9am', 'America/New_York', '2026-03-07T17:00:00Z', '2026-03-08T13:00:00.000Z'],
    ['tomorrow 9am', 'America/New_York', '2026-10-31T16:00:00Z', '2026-11-01T14:00:00.000Z'],
    // 00:30 CET on the DST day (still the 28th in UTC): tomorrow is the 30th, in summer time.
    ['tomorrow 9am', 'Europe/Berlin', '2026-03-28T23:30:00Z', '2026-03-30T07:00:00.000Z'],
    ['9am', 'Europe/Berlin', '2026-03-29T00:30:00Z', '2026-03-29T07:00:00.000Z'],
    ['9am', 'America/New_York', '2026-11-01T05:00:00Z', '2026-11-01T14:00:00.000Z'],
    // A calendar step keeps the wall-clock time: 13:00 CET → 13:00 CEST, 23 hours later.
    ['in 1 day', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-29T11:00:00.000Z'],
    // Relative hours are elapsed time, whatever the clocks do.
    ['in 2 hours', 'Europe/Berlin', '2026-03-29T00:30:00Z', '2026-03-29T02:30:00.000Z'],
    ['in 3 hours', 'America/New_York', '2026-11-01T04:00:00Z', '2026-11-01T07:00:00.000Z'],
    // Nonexistent wall times (spring-forward gap) move forward by the gap: 02:30 → 03:30 summer time.
    ['2026-03-29T02:30', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-29T01:30:00.000Z'],
    ['tomorrow 2:30am', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-29T01:30:00.000Z'],
    ['2026-03-08T02:30', 'America/New_York', '2026-03-07T17:00:00Z', '2026-03-08T07:30:00.000Z'],
    ['tomorrow 2:30am', 'America/New_York', '2026-03-07T17:00:00Z', '2026-03-08T07:30:00.000Z'],
    // Ambiguous wall times (fall-back overlap) are the earlier instant, still in summer time.
    ['2026-10-25T02:30', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-25T00:30:00.000Z'],
    ['tomorrow 2:30am', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-25T00:30:00.000Z'],
    ['2026-11-01T01:30', 'America/New_York', '2026-10-31T16:00:00Z', '2026-11-01T05:30:00.000Z'],
    ['tomorrow 1:30am', 'America/New_York', '2026-10-31T16:00:00Z', '2026-11-01T05:30:00.000Z'],
    // Either side of the change, the hour before and after it.
    ['2026-10-25T01:59', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-24T23:59:00.000Z'],
    ['2026-10-25T03:00', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-25T02:00:00.000Z'],
    ['2026-03-29T01:59', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-29T00:59:00.000Z'],
    ['2026-03-29T03:00', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-29T01:00:00.000Z'],
  ];
  it.each(cases)('"%s" in %s at %s → %s', (when, timezone, from, expected) => {
    expect(at(when, timezone, Date.parse(from))).toBe(expected);
  });

  it('names summer and winter time', () => {
    const local = (when: string, timezone: string, from: string) =>
      parseWhen(when, { timezone, now: Date.parse(from) }).local;
    expect(local('2026-03-29T02:30', 'Europe/Berlin', '2026-03-28T12:00:00Z')).toBe(
      '2026-03-29 03:30 CEST (Europe/Berlin)',
    );
    expect(local('2026-10-25T02:30', 'Europe/Berlin', '2026-10-24T12:00:00Z')).toBe(
      '2026-10-25 02:30 CEST (Europe/Berlin)',
    );
    expect(local('tomorrow 1:30am', 'America/New_York', '2026-10-31T16:00:00Z')).toBe(
      '2026-11-01 01:30 EDT (America/New_York)',
    );
  });
});

describe('time-zone arithmetic', () => {
  it.each([
    ['2026-03-29T00:59:59Z', 'Europe/Berlin', 60],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', 120],
    ['2026-11-01T05:59:59Z', 'America/New_York', -240],
    ['2026-11-01T06:00:00Z', 'America/New_York', -300],
    ['2026-07-01T00:00:00Z', 'Asia/Kolkata', 330],
    ['2026-07-01T00:00:00Z', 'Asia/Tokyo', 540],
  ])('offset at %s in %s is %i minutes', (instant, timezone, minutes) => {
    expect(offsetMinutes(Date.parse(instant), timezone)).toBe(minutes);
  });

  it('turns a wall clock into an instant in zones with half-hour offsets', () => {
    const wall = { year: 2026, month: 7, day: 1, hour: 0, minute: 15, second: 0 };
    expect(iso(wallClockToInstant(wall, 'Asia/Kolkata'))).toBe('2026-06-30T18:45:00.000Z');
    expect(iso(wallClockToInstant(wall, 'Australia/Lord_Howe'))).toBe('2026-06-30T13:45:00.000Z');
    // Lord Howe springs forward by half an hour (02:00 → 02:30): 02:15 becomes 02:45 (+11:00).
    const gap = { year: 2026, month: 10, day: 4, hour: 2, minute: 15, second: 0 };
    expect(iso(wallClockToInstant(gap, 'Australia/Lord_Howe'))).toBe('2026-10-03T15:45:00.000Z');
  });

  it.each([
    ['2026-01-15T08:00:00Z', 'Europe/Berlin', '2026-01-15 09:00 CET (Europe/Berlin)'],
    ['2026-07-15T08:00:00Z', 'Europe/Berlin', '2026-07-15 10:00 CEST (Europe/Berlin)'],
    ['2026-03-29T07:00:00Z', 'America/New_York', '2026-03-29 03:00 EDT (America/New_York)'],
    ['2026-01-15T08:00:00Z', 'America/New_York', '2026-01-15 03:00 EST (America/New_York)'],
    ['2026-01-15T08:00:00Z', 'Asia/Tokyo', '2026-01-15 17:00 JST (Asia/Tokyo)'],
    ['2026-07-15T08:00:00Z', 'Europe/London', '2026-07-15 09:00 BST (Europe/London)'],
    ['2026-01-15T08:00:00Z', 'Europe/London', '2026-01-15 08:00 GMT (Europe/London)'],
    ['2026-01-15T08:00:00Z', 'Australia/Sydney', '2026-01-15 19:00 AEDT (Australia/Sydney)'],
    ['2026-01-15T08:00:00Z', 'Asia/Kolkata', '2026-01-15 13:30 IST (Asia/Kolkata)'],
    ['2026-01-15T08:00:00Z', 'America/Sao_Paulo', '2026-01-15 05:00 GMT-3 (America/Sao_Paulo)'],
    ['2026-01-15T08:00:00Z', 'UTC', '2026-01-15 08:00 UTC'],
  ])('formats %s in %s as %s', (instant, timezone, expected) => {
    expect(formatInZone(Date.parse(instant), timezone)).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', true],
    ['europe/berlin', true],
    ['UTC', true],
    ['Asia/Kolkata', true],
    ['Mars/Olympus', false],
    ['CET+1', false],
    ['', false],
  ])('isValidTimeZone(%j) is %s', (timezone, valid) => {
    expect(isValidTimeZone(timezone)).toBe(valid);
  });
});

describe('parseWhen: refusals', () => {
  const refuse = (
    when: string | undefined,
    timezone = 'Europe/Berlin',
    options: { now?: number; graceMs?: number; maxAheadMs?: number } = {},
  ): HayonError => {
    try {
      parseWhen(when, { timezone, now, ...options });
    } catch (e) {
      expect(e).toBeInstanceOf(HayonError);
      const he = e as HayonError;
      expect(he.code).toBe('invalid_schedule');
      expect(he.status).toBe(400);
      expect(he.publicMessage).toBe(he.userMessage);
      return he;
    }
    throw new Error(`"${when}" was accepted`);
  };

  it.each([
    ['banana', 'Could not read a time in "banana". Try "in 2 hours"'],
    ['tomorrow banana', 'Could not read "banana" in "tomorrow banana".'],
    ['17:30 in Berlin', 'Could not read "in Berlin" in "17:30 in Berlin".'],
    ['friday and saturday', 'Could not read "and saturday" in "friday and saturday".'],
    ['9am-11am', '"9am-11am" is a range; give the single time to publish at.'],
    ['2026-02-30T10:00', '"2026-02-30T10:00" is not a date and time that exists.'],
    ['2026-02-30T10:00:00Z', '"2026-02-30T10:00:00Z" is not a date and time that exists.'],
    ['2026-12-01T24:30', '"2026-12-01T24:30" is not a date and time that exists.'],
    ['9am Europe/Atlantis', '"Europe/Atlantis" is not an IANA time zone (like Europe/Berlin or America/New_York).'],
    ['9am Europe/Berlin Asia/Tokyo', '"9am Europe/Berlin Asia/Tokyo" names more than one time zone.'],
  ])('refuses %j on the when field', (when, message) => {
    const e = refuse(when);
    expect(e.field).toBe('when');
    expect(e.userMessage).toContain(message);
  });

  it.each([['Mars/Olympus'], [''], ['Berlin']])('refuses the author zone %j on the timezone field', (timezone) => {
    const e = refuse('tomorrow 9am', timezone);
    expect(e.field).toBe('timezone');
    expect(e.userMessage).toBe(`"${timezone}" is not an IANA time zone (like Europe/Berlin or America/New_York).`);
  });

  it('refuses a time in the past and says what it understood', () => {
    expect(refuse('yesterday 9am').userMessage).toBe(
      '"yesterday 9am" is 2026-11-28 09:00 CET (Europe/Berlin), which is in the past.',
    );
    expect(refuse('yesterday 9am', 'America/New_York').userMessage).toBe(
      '"yesterday 9am" is 2026-11-27 09:00 EST (America/New_York), which is in the past.',
    );
    expect(refuse(' 2020-01-01T00:00:00Z ', 'UTC').userMessage).toBe(
      '"2020-01-01T00:00:00Z" is 2020-01-01 00:00 UTC, which is in the past.',
    );
  });

  it('keeps a time just past within the grace, and refuses beyond it', () => {
    expect(parseWhen(iso(now - 30_000), { timezone: 'UTC', now }).at).toBe(now - 30_000);
    expect(parseWhen(iso(now - 60_000), { timezone: 'UTC', now }).at).toBe(now - 60_000);
    expect(refuse(iso(now - 60_001), 'UTC').userMessage).toMatch(/which is in the past\.$/);
    expect(refuse(iso(now - 1), 'UTC', { graceMs: 0 }).userMessage).toMatch(/which is in the past\.$/);
  });

  it('refuses more than a year ahead', () => {
    expect(refuse('in 2 years').userMessage).toBe(
      '"in 2 years" is 2028-11-29 00:30 CET (Europe/Berlin), which is more than a year ahead.',
    );
    const limit = now + 366 * 86_400_000;
    expect(parseWhen(iso(limit), { timezone: 'UTC', now }).at).toBe(limit);
    expect(refuse(iso(limit + 1), 'UTC').userMessage).toMatch(/which is more than a year ahead\.$/);
    expect(refuse('dec 24 18:00', 'UTC', { maxAheadMs: 7 * 86_400_000 }).userMessage).toBe(
      '"dec 24 18:00" is 2026-12-24 18:00 UTC, which is more than 7 days ahead.',
    );
  });
});

describe('parseWhen: "next slot"', () => {
  it('is not a time it can read alone: the posts service takes the slot when a post is made', () => {
    const read = () => parseWhen('next slot', { timezone: 'UTC', now });
    expect(read).toThrow(HayonError);
    expect(read).toThrow(/"next slot" takes the next free slot .* give a time such as "tomorrow 9am"/);
  });
});
