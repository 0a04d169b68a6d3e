import type { AppContext } from '../app-context.js';
import { subsystem } from '../logger.js';

/**
 * `hayon worker`: consumes deliveries, sends callbacks, and runs the sweeper (so a crashed peer's leases are
 * found even when no `serve` runs one). `stop()` pauses intake, finishes what is in flight,
 * then closes connections.
 */
export class WorkerRole {
  constructor(readonly ctx: AppContext) {}

  async start(): Promise<void> {
    await this.ctx.worker.start();
    this.ctx.callbacks.start();
    this.ctx.sweeper.start();
    subsystem(this.ctx.log, 'worker').info({ concurrency: this.ctx.config.worker.concurrency }, 'hayon worker started');
  }

  async stop(): Promise<void> {
    await this.ctx.dispose();
  }
}
