import type { HayonEnv } from './env.js';
import { int } from './values.js';

/** How a worker publishes deliveries and sweeps for lost ones. */
export interface WorkerConfig {
  /** Deliveries published at once per worker. `HAYON_WORKER_CONCURRENCY`, default 16. */
  concurrency: number;
  /** Attempts per delivery before it is parked. `HAYON_MAX_ATTEMPTS`, default 6. */
  maxAttempts: number;
  /** How long a claim holds before the delivery counts as `unknown`. `HAYON_LEASE_SECONDS`, default 120. */
  leaseMs: number;
  /** How often the sweeper looks for expired leases and lost messages. `HAYON_SWEEP_INTERVAL_MS`, default 10000. */
  sweepIntervalMs: number;
  /** A queued delivery this long past due is sent again. `HAYON_STRANDED_AFTER_MS`, default 60000. */
  strandedAfterMs: number;
  /**
   * The same while the broker has messages waiting (they are probably in that queue).
   * `HAYON_STRANDED_WHILE_BUSY_AFTER_MS`, default 600000.
   */
  strandedWhileBusyAfterMs: number;
}

/** The worker settings from `HAYON_WORKER_CONCURRENCY` and its neighbours, with their defaults. */
export function workerConfig(env: HayonEnv): WorkerConfig {
  return {
    concurrency: int('HAYON_WORKER_CONCURRENCY', env.workerConcurrency, 16, 1, 1000),
    maxAttempts: int('HAYON_MAX_ATTEMPTS', env.maxAttempts, 6, 1, 50),
    leaseMs: int('HAYON_LEASE_SECONDS', env.leaseSeconds, 120, 1, 3600) * 1000,
    sweepIntervalMs: int('HAYON_SWEEP_INTERVAL_MS', env.sweepIntervalMs, 10_000, 50, 3_600_000),
    strandedAfterMs: int('HAYON_STRANDED_AFTER_MS', env.strandedAfterMs, 60_000, 100, 86_400_000),
    strandedWhileBusyAfterMs: int(
      'HAYON_STRANDED_WHILE_BUSY_AFTER_MS',
      env.strandedWhileBusyAfterMs,
      600_000,
      100,
      86_400_000,
    ),
  };
}
