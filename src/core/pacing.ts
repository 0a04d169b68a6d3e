/**
 * Per-account pacing under a platform's documented write limits. What an account has spent is a
 * ledger of small time buckets per unit (points, posts, requests, images), kept in the store so
 * that every worker sees the same one; a delivery that would go over a limit waits until the
 * buckets that hold it back have left the window. Far from its limits an account's spending is
 * reserved in blocks (`decideBlock`), so that one write pays for several deliveries. Pure
 * functions; the store keeps the ledger (`getPacing`/`putPacing`) and the Pacer
 * (worker/pacer.ts) combines them.
 */

export const paceUnits = ['points', 'posts', 'replies', 'requests', 'images'] as const;
export type PaceUnit = (typeof paceUnits)[number];

export interface PaceLimit {
  unit: PaceUnit;
  max: number;
  windowMs: number;
}

export type PaceCost = Partial<Record<PaceUnit, number>>;

/** Spending is counted in buckets this long: small against every window (5 minutes and up). */
export const paceBucketMs = 10_000;

/** The start of the bucket `at` falls in. */
export function paceBucketOf(at: number): number {
  return at - (at % paceBucketMs);
}

/** `a` plus `k` times `b`, per unit (`k` may be negative: a cost taken back). */
export function addCost(a: PaceCost, b: PaceCost, k = 1): PaceCost {
  const out: PaceCost = { ...a };
  for (const unit of Object.keys(b) as PaceUnit[]) out[unit] = (out[unit] ?? 0) + k * (b[unit] ?? 0);
  return out;
}

function total(entries: readonly [number, number][]): number {
  return entries.reduce((sum, [, n]) => sum + n, 0);
}

export interface PaceLedger {
  accountId: string;
  /** 1 for the first version stored; each write expects the one before it. */
  version: number;
  /** Per unit, `[bucket start, amount]` in time order. */
  spent: Partial<Record<PaceUnit, [number, number][]>>;
}

export type PaceDecision =
  | { fits: true; ledger: PaceLedger }
  /** `at`: the earliest time the cost fits; `limit`: the one that holds it back. */
  | { fits: false; at: number; limit: PaceLimit }
  /** The cost is more than the limit allows in a whole window: it never fits. */
  | { fits: false; never: true; limit: PaceLimit };

function inWindow(entries: readonly [number, number][], limit: PaceLimit, now: number): [number, number][] {
  // A bucket counts while any part of it is inside the window: a little early, never late.
  return entries.filter(([start]) => start + paceBucketMs > now - limit.windowMs);
}

/**
 * Whether `cost` fits every limit now. When it does, the ledger with the cost spent (and buckets
 * older than the longest window dropped) is returned to be stored; when not, the earliest time
 * it would fit the limit that holds it back the longest.
 */
export function decidePace(
  current: PaceLedger | null,
  accountId: string,
  limits: readonly PaceLimit[],
  cost: PaceCost,
  now: number,
): PaceDecision {
  const spent = current?.spent ?? {};
  let wait: { at: number; limit: PaceLimit } | undefined;
  for (const limit of limits) {
    const amount = cost[limit.unit] ?? 0;
    if (amount <= 0) continue;
    if (amount > limit.max) return { fits: false, never: true, limit };
    const entries = inWindow(spent[limit.unit] ?? [], limit, now);
    let used = total(entries);
    if (used + amount <= limit.max) continue;
    // Buckets leave the window oldest first: the first time enough of them have left.
    let at = now;
    for (const [start, n] of entries) {
      used -= n;
      at = start + paceBucketMs + limit.windowMs;
      if (used + amount <= limit.max) break;
    }
    if (!wait || at > wait.at) wait = { at, limit };
  }
  if (wait) return { fits: false, ...wait };
  const longest = new Map<PaceUnit, number>();
  for (const l of limits) longest.set(l.unit, Math.max(longest.get(l.unit) ?? 0, l.windowMs));
  const bucket = paceBucketOf(now);
  const next: PaceLedger['spent'] = {};
  for (const unit of new Set([...longest.keys(), ...(Object.keys(spent) as PaceUnit[])])) {
    const windowMs = longest.get(unit);
    if (windowMs === undefined) continue; // a unit no limit counts any more
    const kept = (spent[unit] ?? []).filter(([start]) => start + paceBucketMs > now - windowMs);
    const amount = cost[unit] ?? 0;
    if (amount > 0) {
      const last = kept.at(-1);
      if (last && last[0] === bucket) kept[kept.length - 1] = [bucket, last[1] + amount];
      else kept.push([bucket, amount]);
    }
    if (kept.length > 0) next[unit] = kept;
  }
  return { fits: true, ledger: { accountId, version: (current?.version ?? 0) + 1, spent: next } };
}

/**
 * How many spends of one cost the Pacer reserves in one ledger write when the account is far from
 * its limits (see `decideBlock`): one compare-and-set then pays for this many deliveries.
 */
export const paceBlock = 10;

/** A block is at most this share of any limit it spends, so that a small limit is spent one by one. */
const blockShareMax = 1 / 20;

/** As `PaceDecision`; when the cost fits, `k` is how many times over the ledger spent it (1 or a block). */
export type BlockDecision = { fits: true; ledger: PaceLedger; k: number } | Exclude<PaceDecision, { fits: true }>;

function usedInWindow(ledger: PaceLedger, limit: PaceLimit, now: number): number {
  return total(inWindow(ledger.spent[limit.unit] ?? [], limit, now));
}

/**
 * Whether `cost` fits now, as `decidePace` says, and how many times over it is spent in the ledger
 * returned: `maxBlock` times when the account is far from every limit the cost spends, else once.
 * Far means that the block is at most a twentieth of each of those limits and that, with it spent,
 * the account is at or below half of each in its window. A block held by one process is room that
 * the others cannot use: while half the limit is free that costs nothing, but near the limit it
 * would hold deliveries back before the limit does. So near a limit, and under a small one (3
 * posts per 5 minutes, 25 a day), each cost is spent by itself, as `decidePace` alone would; and
 * when the cost does not fit, the answer (until when, or never) is `decidePace`'s for the cost.
 */
export function decideBlock(
  current: PaceLedger | null,
  accountId: string,
  limits: readonly PaceLimit[],
  cost: PaceCost,
  now: number,
  maxBlock = paceBlock,
): BlockDecision {
  const spends = limits.filter((l) => (cost[l.unit] ?? 0) > 0);
  if (maxBlock > 1 && spends.length > 0) {
    const block = addCost({}, cost, maxBlock);
    if (spends.every((l) => (block[l.unit] ?? 0) <= l.max * blockShareMax)) {
      const d = decidePace(current, accountId, limits, block, now);
      if (d.fits && spends.every((l) => usedInWindow(d.ledger, l, now) * 2 <= l.max)) return { ...d, k: maxBlock };
    }
  }
  const d = decidePace(current, accountId, limits, cost, now);
  return d.fits ? { ...d, k: 1 } : d;
}

/**
 * The ledger with `amounts` taken back out of the bucket that starts at `bucket`: what a block
 * reserved there and left unspent when its bucket ended (see the Pacer). The version stays, so the
 * next compare-and-set writes it; a bucket already dropped from the ledger has nothing to give.
 */
export function refundPace(ledger: PaceLedger, bucket: number, amounts: PaceCost): PaceLedger {
  const spent: PaceLedger['spent'] = {};
  for (const unit of Object.keys(ledger.spent) as PaceUnit[]) {
    const back = amounts[unit] ?? 0;
    const kept = (ledger.spent[unit] ?? []).flatMap(([start, n]): [number, number][] => {
      if (start !== bucket || back <= 0) return [[start, n]];
      return n > back ? [[start, n - back]] : [];
    });
    if (kept.length > 0) spent[unit] = kept;
  }
  return { ...ledger, spent };
}

const unitNames: Record<PaceUnit, [string, string]> = {
  points: ['write point', 'write points'],
  posts: ['post', 'posts'],
  replies: ['reply', 'replies'],
  requests: ['request', 'requests'],
  images: ['image', 'images'],
};

/** "5,000 write points an hour", "300 requests per 5 minutes", "250 posts a day". */
export function describeLimit(limit: PaceLimit): string {
  const [one, many] = unitNames[limit.unit];
  const what = `${limit.max.toLocaleString('en-US')} ${limit.max === 1 ? one : many}`;
  const ms = limit.windowMs;
  if (ms === 3_600_000) return `${what} an hour`;
  if (ms === 86_400_000) return `${what} a day`;
  if (ms % 86_400_000 === 0) return `${what} per ${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return `${what} per ${ms / 3_600_000} hours`;
  if (ms === 60_000) return `${what} a minute`;
  if (ms % 60_000 === 0) return `${what} per ${ms / 60_000} minutes`;
  return `${what} per ${ms / 1000} seconds`;
}

const windowUnits: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads `HAYON_PACE_LIMITS`: `platform:unit=max/window` items separated by commas, the window a
 * number and s, m, h or d (`mastodon:requests=300/5m,bluesky:points=5000/1h`). A platform named
 * there has exactly the limits given (its defaults are replaced). Throws a sentence naming the
 * item that is wrong.
 */
export function parsePaceLimits(value: string, platforms: readonly string[]): Record<string, PaceLimit[]> {
  const out: Record<string, PaceLimit[]> = {};
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const m = /^([a-z]+):([a-z]+)=(\d+)\/(\d+)([smhd])$/.exec(item);
    const platform = m?.[1];
    const unit = m?.[2] as PaceUnit | undefined;
    if (!m || !platform || !unit || !platforms.includes(platform) || !paceUnits.includes(unit)) {
      throw new Error(
        `"${item}" is not platform:unit=max/window (platforms: ${platforms.join(', ')}; units: ${paceUnits.join(', ')}; window like 5m, 1h, 1d)`,
      );
    }
    const max = Number(m[3]);
    const windowMs = Number(m[4]) * (windowUnits[m[5] ?? 's'] ?? 1000);
    if (max < 1 || windowMs < 5_000) throw new Error(`"${item}": the most must be 1 or more and the window 5s or more`);
    out[platform] = [...(out[platform] ?? []), { unit, max, windowMs }];
  }
  return out;
}
