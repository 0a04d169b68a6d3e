import type { WorkerContext } from '../app/app-context.js';
import { subsystem } from '../logger.js';
import { startMetricsListener } from './metrics-listener.js';

/**
 * `hayon worker`: consumes deliveries, sends callbacks, and runs the sweeper (so a crashed peer's leases are
 * found even when no `serve` runs one). `stop()` pauses intake, finishes what is in flight,
 * then closes connections.
 */
export class WorkerRole {
  #metrics: { port: number; stop(): Promise<void> } | undefined;

  constructor(readonly ctx: WorkerContext) {}

  /** The metrics listener's port, when `HAYON_METRICS_PORT` is set. */
  get metricsPort(): number | undefined {
    return this.#metrics?.port;
  }

  async start(): Promise<void> {
    // This process's own counts only: `hayon serve` reports the store's and the broker's.
    this.#metrics = await startMetricsListener(this.ctx, { shared: false });
    await this.ctx.worker.start();
    this.ctx.callbacks.start();
    this.ctx.chat.start();
    this.ctx.sweeper.start();
    subsystem(this.ctx.log, 'worker').info(
      {
        concurrency: this.ctx.config.worker.concurrency,
        ...(this.#metrics ? { metricsPort: this.#metrics.port } : {}),
      },
      'hayon worker started',
    );
  }

  async stop(): Promise<void> {
    const log = subsystem(this.ctx.log, 'worker');
    const started = Date.now();
    log.info({}, 'hayon worker stopping');
    await this.ctx.dispose();
    await this.#metrics?.stop();
    this.#metrics = undefined;
    log.info({ tookMs: Date.now() - started }, 'hayon worker stopped');
  }
}
