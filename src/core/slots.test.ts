import { describe, expect, it } from 'vitest';
import { HayonError } from './errors.js';
import { firstFree, formatSlots, isNextSlot, parseSlots, slotTimes } from './slots.js';

const at = (iso: string) => Date.parse(iso);
const day = 86_400_000;

describe('parseSlots', () => {
  it('reads days, ranges, lists, several times and ;-separated groups', () => {
    const slots = parseSlots('mon-fri 09:00,13:00; sat 10:00');
    expect(slots).toHaveLength(11);
    expect(formatSlots(slots)).toBe(
      'mon 09:00,13:00; tue 09:00,13:00; wed 09:00,13:00; thu 09:00,13:00; fri 09:00,13:00; sat 10:00',
    );
    expect(formatSlots(parseSlots('SUN 8:05 ; mon,wed 17:30'))).toBe('mon 17:30; wed 17:30; sun 08:05');
  });

  it('wraps a range over the weekend and keeps each slot once', () => {
    expect(formatSlots(parseSlots('fri-mon 09:00; sat 09:00'))).toBe('mon 09:00; fri 09:00; sat 09:00; sun 09:00');
  });

  it.each([
    ['mon-fry 09:00', "could not read 'mon-fry' in --slots: days are mon, tue, wed, thu, fri, sat, sun"],
    ['mon 9am', "could not read '9am' in --slots: times are 24-hour HH:MM"],
    ['mon 24:00', "could not read '24:00' in --slots"],
    ['monday', "could not read 'monday' in --slots: give days, then times"],
    [' ; ', '--slots is empty'],
  ])('refuses %j naming the part and giving an example', (spec, sentence) => {
    let error: unknown;
    try {
      parseSlots(spec, { label: '--slots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HayonError);
    const he = error as HayonError;
    expect(he.status).toBe(400);
    expect(he.field).toBe('slots');
    expect(he.userMessage).toContain(sentence);
    expect(he.userMessage).toContain('For example: --slots "mon-fri 09:00,13:00; sat 10:00"');
  });
});

describe('isNextSlot', () => {
  it.each([
    ['next slot', true],
    [' Next  Free Slot ', true],
    ['next friday', false],
    [undefined, false],
  ])('%j → %s', (when, yes) => expect(isNextSlot(when)).toBe(yes));
});

describe('slotTimes', () => {
  it('lists the slots after a moment, in the zone, in order', () => {
    // Monday 2026-12-07 10:00 in Berlin (09:00 UTC).
    const now = at('2026-12-07T09:00:00Z');
    const times = slotTimes(parseSlots('mon-fri 09:00,13:00; sat 10:00'), 'Europe/Berlin', now, now + 7 * day);
    expect(times.slice(0, 3).map((t) => new Date(t).toISOString())).toEqual([
      '2026-12-07T12:00:00.000Z',
      '2026-12-08T08:00:00.000Z',
      '2026-12-08T12:00:00.000Z',
    ]);
    expect(times).toHaveLength(11);
    expect(times).toContain(at('2026-12-12T09:00:00Z'));
  });

  it('is exclusive of the moment itself and follows a clock change', () => {
    // 2027-03-28: Berlin moves from CET to CEST; a 09:00 slot is 08:00 UTC before and 07:00 UTC after.
    const times = slotTimes(
      parseSlots('sun 09:00'),
      'Europe/Berlin',
      at('2027-03-21T08:00:00Z'),
      at('2027-04-01T00:00:00Z'),
    );
    expect(times.map((t) => new Date(t).toISOString())).toEqual(['2027-03-28T07:00:00.000Z']);
  });

  it('gives nothing for an empty schedule or range', () => {
    expect(slotTimes([], 'UTC', 0, day)).toEqual([]);
    expect(slotTimes(parseSlots('mon 09:00'), 'UTC', day, day)).toEqual([]);
  });
});

describe('firstFree', () => {
  it('skips held slots and says when none is free', () => {
    expect(firstFree([1, 2, 3], [1, 3])).toBe(2);
    expect(firstFree([1, 2], [1, 2])).toBeUndefined();
  });
});
