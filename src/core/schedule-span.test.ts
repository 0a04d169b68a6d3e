import { describe, expect, it } from 'vitest';
import { parseWhen } from './schedule.js';

const at = (when: string, timezone: string, from: number) =>
  new Date(parseWhen(when, { timezone, now: from }).at).toISOString();

describe('parseWhen: "in N minutes" and its short forms (read without chrono)', () => {
  const from = Date.parse('2026-03-29T00:30:00.123Z'); // 01:30 CET, half an hour before the clocks go forward
  it.each([
    ['in 10 minutes', 600],
    ['IN 10 MINUTES', 600],
    ['in  1   minute', 60],
    ['in 10 mins', 600],
    ['in 10min', 600],
    ['in 10m', 600],
    ['in 2 hours', 7200],
    ['in 2 hrs', 7200],
    ['in 2h', 7200],
    ['in 30 seconds', 30],
    ['in 30 sec', 30],
    ['in 30s', 30],
    ['in 0 minutes', 0],
  ])('"%s" is %i s after now, to the millisecond, in any zone', (when, seconds) => {
    for (const timezone of ['UTC', 'Europe/Berlin', 'Asia/Kolkata']) {
      expect(parseWhen(when, { timezone, now: from }).at).toBe(from + seconds * 1000);
    }
  });

  it('leaves days to the calendar and refuses what it refused before', () => {
    // A calendar day across the spring-forward night is 23 hours.
    expect(at('in 1 day', 'Europe/Berlin', Date.parse('2026-03-28T12:00:00Z'))).toBe('2026-03-29T11:00:00.000Z');
    expect(() => parseWhen('in 30 secs', { timezone: 'UTC', now: from })).toThrow(/Could not read a time/);
    expect(() => parseWhen('in 10 minutes please', { timezone: 'UTC', now: from })).toThrow(/Could not read "please"/);
  });
});
