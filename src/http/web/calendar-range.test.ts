import { describe, expect, it } from 'vitest';
import { calendarRange, dayOf, isoDate, parseIsoDate, timeIn } from './calendar-range.js';

const days = (date: string) => parseIsoDate(date) ?? Number.NaN;

describe('calendarRange', () => {
  it('makes a week Monday to Sunday, whatever day it is asked from', () => {
    const week = calendarRange('week', days('2027-03-17'), 'UTC');
    expect(week.days.map((d) => d.date)).toEqual([
      '2027-03-15',
      '2027-03-16',
      '2027-03-17',
      '2027-03-18',
      '2027-03-19',
      '2027-03-20',
      '2027-03-21',
    ]);
    expect([week.prev, week.next]).toEqual(['2027-03-08', '2027-03-22']);
  });

  it('makes a month of whole weeks, marking the days of the months around it', () => {
    const month = calendarRange('month', days('2027-02-10'), 'UTC');
    expect(month.title).toBe('February 2027');
    expect(month.days[0]?.date).toBe('2027-02-01');
    expect(month.days.length % 7).toBe(0);
    expect(month.days.filter((d) => d.inRange)).toHaveLength(28);
    expect([month.prev, month.next]).toEqual(['2027-01-01', '2027-03-01']);
    expect(calendarRange('month', days('2027-12-31'), 'UTC').next).toBe('2028-01-01');
    expect(calendarRange('month', days('2027-01-31'), 'UTC').prev).toBe('2026-12-01');
  });

  it('gives each day its own length across a change of clocks (23 and 25 hours in Berlin)', () => {
    const spring = calendarRange('week', days('2027-03-28'), 'Europe/Berlin').days.find((d) => d.date === '2027-03-28');
    const autumn = calendarRange('week', days('2027-10-31'), 'Europe/Berlin').days.find((d) => d.date === '2027-10-31');
    expect(((spring?.to ?? 0) - (spring?.from ?? 0)) / 3_600_000).toBe(23);
    expect(((autumn?.to ?? 0) - (autumn?.from ?? 0)) / 3_600_000).toBe(25);
    expect(spring?.from).toBe(Date.parse('2027-03-27T23:00:00Z'));
  });

  it('places an instant on its local day and time', () => {
    const at = Date.parse('2027-01-15T20:30:00Z');
    expect(isoDate(dayOf(at, 'Asia/Tokyo'))).toBe('2027-01-16');
    expect(timeIn(at, 'Asia/Tokyo')).toBe('05:30');
    expect(isoDate(dayOf(at, 'America/Los_Angeles'))).toBe('2027-01-15');
    expect(timeIn(at, 'America/Los_Angeles')).toBe('12:30');
  });

  it('reads only real dates', () => {
    expect(parseIsoDate('2027-02-29')).toBeUndefined();
    expect(parseIsoDate('2027-13-01')).toBeUndefined();
    expect(parseIsoDate('yesterday')).toBeUndefined();
    expect(isoDate(days('2028-02-29'))).toBe('2028-02-29');
  });
});
