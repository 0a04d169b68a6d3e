/** What every system under comparison is started with. */
export interface SystemOptions {
  /** The fake platform every job publishes to (fake-platform-server.ts). */
  platformUrl: string;
  /** Publish calls in flight at once, in total over all worker processes. */
  concurrency: number;
}

/**
 * One system (hayon embedded or scaled, BullMQ, Agenda), fresh for each workload: its own
 * database, queue names or prefix. Workers may start before or after jobs are created.
 */
export interface System {
  /** Starts consuming: from here on, due jobs are published. */
  startWorkers(): Promise<void>;
  /**
   * Creates one job that publishes once at `dueAt` (ms since the epoch), or now when null.
   * Resolves with the key the fake platform will see for it.
   */
  create(dueAt: number | null): Promise<string>;
  /** Stops workers and closes connections; leaves nothing running. */
  stop(): Promise<void>;
}

export interface SystemSpec {
  name: string;
  /** One line on how it runs, for the printed notes. */
  describe(options: SystemOptions): string;
  start(options: SystemOptions): Promise<System>;
}
