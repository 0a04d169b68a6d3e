import { wallClockAt, wallClockToInstant } from '../../core/time-zone.js';

export type CalendarView = 'week' | 'month';

/** One day of a calendar: its date in the viewer's zone and the instants it spans. */
export interface CalendarDay {
  /** `2026-12-07` */
  date: string;
  from: number;
  to: number;
  /** False for the days of the neighbouring months a month grid shows. */
  inRange: boolean;
}

export interface CalendarRange {
  view: CalendarView;
  /** The first and the last instant shown (every day of the grid). */
  from: number;
  to: number;
  days: CalendarDay[];
  /** The anchors of the previous and the next week or month. */
  prev: string;
  next: string;
  /** `December 2026`, `7 – 13 December 2026` */
  title: string;
}

const dayMs = 86_400_000;
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A calendar date as days since 1970-01-01 (no zone: pure date arithmetic). */
const toDays = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / dayMs;
const fromDays = (days: number) => {
  const d = new Date(days * dayMs);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};
const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (days: number) => {
  const { year, month, day } = fromDays(days);
  return `${year}-${pad(month)}-${pad(day)}`;
};

/** `2026-12-07` as days, or undefined when it is not a real date. */
export function parseIsoDate(text: string | undefined): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!m) return undefined;
  const days = toDays(Number(m[1]), Number(m[2]), Number(m[3]));
  return isoDate(days) === text ? days : undefined;
}

/** Today's date in the zone, as days. */
export function todayIn(now: number, zone: string): number {
  const w = wallClockAt(now, zone);
  return toDays(w.year, w.month, w.day);
}

/** The instant a date's midnight starts in the zone (DST-correct). */
export function midnight(days: number, zone: string): number {
  const { year, month, day } = fromDays(days);
  return wallClockToInstant({ year, month, day, hour: 0, minute: 0, second: 0 }, zone);
}

/** The date (as days) an instant falls on in the zone. */
export function dayOf(at: number, zone: string): number {
  const w = wallClockAt(at, zone);
  return toDays(w.year, w.month, w.day);
}

/** Monday on or before `days` (1970-01-01 was a Thursday). */
const mondayOf = (days: number) => days - ((days + 3) % 7);

/**
 * The days a week (Monday to Sunday) or a month (whole weeks, Monday first) around `anchor`
 * shows, with each day's instants in `zone`.
 */
export function calendarRange(view: CalendarView, anchor: number, zone: string): CalendarRange {
  const { year, month } = fromDays(anchor);
  let first: number;
  let last: number;
  let inRange: (d: number) => boolean;
  let prev: number;
  let next: number;
  let title: string;
  if (view === 'week') {
    first = mondayOf(anchor);
    last = first + 6;
    inRange = () => true;
    prev = first - 7;
    next = first + 7;
    const a = fromDays(first);
    const b = fromDays(last);
    title = `${a.day} ${monthNames[a.month - 1]} ${a.year} – ${b.day} ${monthNames[b.month - 1]} ${b.year}`;
  } else {
    const start = toDays(year, month, 1);
    const end = toDays(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1;
    first = mondayOf(start);
    last = mondayOf(end) + 6;
    inRange = (d) => d >= start && d <= end;
    prev = toDays(month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1, 1);
    next = end + 1;
    title = `${monthNames[month - 1]} ${year}`;
  }
  const days: CalendarDay[] = [];
  for (let d = first; d <= last; d++) {
    days.push({ date: isoDate(d), from: midnight(d, zone), to: midnight(d + 1, zone), inRange: inRange(d) });
  }
  return {
    view,
    from: days[0]?.from ?? 0,
    to: days.at(-1)?.to ?? 0,
    days,
    prev: isoDate(prev),
    next: isoDate(next),
    title,
  };
}

/** `09:05` in the zone. */
export function timeIn(at: number, zone: string): string {
  const w = wallClockAt(at, zone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}
