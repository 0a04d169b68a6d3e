import { HayonError } from './errors.js';
import { wallClockAt, wallClockToInstant } from './time-zone.js';

/**
 * A workspace's queue of time slots: a weekly schedule, read in the workspace's time zone
 * (`hayon workspace set --slots "mon-fri 09:00,13:00; sat 10:00"`), and the words `when: "next
 * slot"` that take the first of its slots no other post holds.
 */

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** One weekly slot: a day (0 = Monday … 6 = Sunday) and a wall-clock time, minutes after midnight. */
export interface Slot {
  day: number;
  minute: number;
}

/** How far ahead `next slot` looks for a free slot. */
export const slotHorizonWeeks = 8;

export const slotsExample = 'mon-fri 09:00,13:00; sat 10:00';

/** `next slot`, `next free slot` (any case, any spacing). */
export function isNextSlot(when: string | undefined): boolean {
  return /^\s*next\s+(?:free\s+)?slot\s*$/i.test(when ?? '');
}

export interface ParseSlotsOptions {
  /** How the person wrote the schedule: `--slots` on the CLI, `slots` in the API. */
  label?: string;
}

/**
 * Reads a weekly schedule: `;`-separated groups, each days then times. Days are `mon`…`sun`,
 * ranges (`mon-fri`, `fri-mon` wraps) and lists (`mon,wed`); times are 24-hour `HH:MM`, several
 * separated by commas. The slots come back sorted, each once. A part that does not parse is a
 * 400 naming it, the label and an example.
 *
 * @example parseSlots('mon-fri 09:00,13:00; sat 10:00') // 11 slots a week
 */
export function parseSlots(spec: string, options: ParseSlotsOptions = {}): Slot[] {
  const label = options.label ?? 'slots';
  const groups = spec
    .split(';')
    .map((g) => g.trim())
    .filter(Boolean);
  if (groups.length === 0) throw slotsError(label, `${label} is empty: give days and times`);
  const seen = new Map<string, Slot>();
  for (const group of groups) {
    const match = /^(\S+)\s+(.+)$/.exec(group);
    if (!match) throw slotsError(label, `could not read '${group}' in ${label}: give days, then times`);
    const days = readDays(match[1] ?? '', label);
    const minutes = readTimes(match[2] ?? '', label);
    for (const day of days) for (const minute of minutes) seen.set(`${day}:${minute}`, { day, minute });
  }
  return [...seen.values()].sort((a, b) => a.day - b.day || a.minute - b.minute);
}

function readDays(text: string, label: string): number[] {
  const days = new Set<number>();
  for (const part of text.toLowerCase().split(',').filter(Boolean)) {
    const [from, to, extra] = part.split('-');
    const a = dayIndex(from);
    const b = to === undefined ? a : dayIndex(to);
    if (a < 0 || b < 0 || extra !== undefined) {
      throw slotsError(
        label,
        `could not read '${part}' in ${label}: days are ${weekdays.join(', ')}, or a range such as mon-fri`,
      );
    }
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  if (days.size === 0) throw slotsError(label, `could not read '${text}' in ${label}: give days such as mon-fri`);
  return [...days];
}

function dayIndex(name: string | undefined): number {
  return weekdays.indexOf((name ?? '').trim() as Weekday);
}

function readTimes(text: string, label: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((part) => {
      const m = /^(\d{1,2}):(\d{2})$/.exec(part);
      const hour = Number(m?.[1]);
      const minute = Number(m?.[2]);
      if (!m || hour > 23 || minute > 59) {
        throw slotsError(
          label,
          `could not read '${part}' in ${label}: times are 24-hour HH:MM, such as 09:00 or 17:30`,
        );
      }
      return hour * 60 + minute;
    });
}

function slotsError(label: string, sentence: string): HayonError {
  const message = `${sentence}. For example: ${label} "${slotsExample}".`;
  return new HayonError('invalid_request', message, { field: 'slots', userMessage: message });
}

/** The schedule written back in the form `parseSlots` reads: `mon 09:00,13:00; sat 10:00`. */
export function formatSlots(slots: readonly Slot[]): string {
  const byDay = new Map<number, number[]>();
  for (const s of slots) byDay.set(s.day, [...(byDay.get(s.day) ?? []), s.minute]);
  return [...byDay.entries()]
    .sort(([a], [b]) => a - b)
    .map(([day, minutes]) => `${weekdays[day]} ${minutes.map(hhmm).join(',')}`)
    .join('; ');
}

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * Every slot instant after `after` (exclusive) and up to `until`, in order, with the schedule
 * read as wall-clock times in `timezone` (a slot in a spring-forward gap moves forward by the
 * gap, as every wall-clock time does here).
 */
export function slotTimes(slots: readonly Slot[], timezone: string, after: number, until: number): number[] {
  if (slots.length === 0 || until <= after) return [];
  const start = wallClockAt(after, timezone);
  const days = Math.ceil((until - after) / 86_400_000) + 1;
  const out: number[] = [];
  for (let offset = 0; offset <= days; offset++) {
    // A calendar day of the zone; the Date is only a carrier of its fields.
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    const weekday = (date.getUTCDay() + 6) % 7;
    for (const slot of slots) {
      if (slot.day !== weekday) continue;
      const wall = {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: Math.floor(slot.minute / 60),
        minute: slot.minute % 60,
        second: 0,
      };
      const at = wallClockToInstant(wall, timezone);
      if (at > after && at <= until) out.push(at);
    }
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** The first of `candidates` not in `held`; undefined when every one is held. */
export function firstFree(candidates: readonly number[], held: Iterable<number>): number | undefined {
  const taken = new Set(held);
  return candidates.find((at) => !taken.has(at));
}
