import { percentile } from './stats.js';

export interface LoadResult {
  /** Requests answered inside the measured window (their latencies make the figures). */
  requests: number;
  /** Requests not answered with the expected status, warm-up included. */
  errors: number;
  /** Every request sent, warm-up included, by the status it got (`network`: no answer). */
  statuses: Record<string, number>;
  /** Every request sent, warm-up included. */
  sent: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Closed-loop load: `clients` loops each send a request as soon as the previous answered, for
 * `durationMs` after `warmupMs` (not counted). Bounded in time and count; loopback only.
 */
export async function runLoad(options: {
  url: string;
  clients: number;
  durationMs: number;
  warmupMs: number;
  init: () => RequestInit;
  expectStatus: number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  const start = performance.now();
  const warmEnd = start + options.warmupMs;
  const end = warmEnd + options.durationMs;
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      let status = 'network';
      sent++;
      try {
        const res = await fetch(options.url, options.init());
        await res.arrayBuffer();
        status = String(res.status);
      } catch {
        // counted as `network`
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== String(options.expectStatus)) errors++;
      const t1 = performance.now();
      if (t0 >= warmEnd && t1 <= end) latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, loop));
  const seconds = options.durationMs / 1000;
  return {
    requests: latencies.length,
    errors,
    statuses,
    sent,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  };
}
