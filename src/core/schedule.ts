// Placeholder signature; the schedule parser is being written (see schedule.test.ts when it lands).
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

export declare function parseWhen(input: string | undefined, options: ParseWhenOptions): ResolvedSchedule;
