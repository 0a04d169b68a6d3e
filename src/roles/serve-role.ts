import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { AppContext } from '../app/app-context.js';
import { createHttpApp } from '../http/app.js';
import { subsystem } from '../logger.js';
import { startMetricsListener } from './metrics-listener.js';

export interface ServeRoleOptions {
  /** Run the worker in this process (the embedded default); false beside `hayon worker`s. */
  worker: boolean;
  port?: number;
  host?: string;
}

/**
 * `hayon serve`: the HTTP API, the scheduler and the sweeper, and unless told otherwise the
 * worker. `stop()` closes the port first (no new posts), then lets in-flight deliveries finish.
 */
export class ServeRole {
  #server: ServerType | undefined;
  #tempSweep: NodeJS.Timeout | undefined;
  #accountCheck: NodeJS.Timeout | undefined;
  #tokenRefresh: NodeJS.Timeout | undefined;
  #metrics: { port: number; stop(): Promise<void> } | undefined;

  constructor(
    readonly ctx: AppContext,
    private readonly options: ServeRoleOptions,
  ) {}

  /** The metrics listener's port, when `HAYON_METRICS_PORT` is set. */
  get metricsPort(): number | undefined {
    return this.#metrics?.port;
  }

  /** Starts everything; resolves with the port the HTTP server listens on. */
  async start(): Promise<number> {
    const { ctx } = this;
    if (this.options.worker && ctx.config.transport.kind === 'local') {
      // The in-process queue of the last run is gone: what it held goes out now, not a minute later.
      const requeued = await ctx.sweeper.requeueQueued();
      if (requeued) subsystem(ctx.log, 'serve').info({ requeued }, 'queued deliveries of the last run requeued');
    }
    try {
      const app = createHttpApp(ctx);
      const port = await new Promise<number>((resolve, reject) => {
        const server = serve(
          {
            fetch: app.fetch,
            port: this.options.port ?? ctx.config.port,
            hostname: this.options.host ?? ctx.config.host,
          },
          (info: AddressInfo) => resolve(info.port),
        );
        server.once('error', reject);
        this.#server = server;
      });
      this.#metrics = await startMetricsListener(ctx, { shared: true });
      if (this.options.worker) {
        await ctx.worker.start();
        ctx.callbacks.start();
        ctx.chat.start();
      }
      ctx.scheduler.start();
      ctx.sweeper.start();
      this.#startTempSweep();
      this.#startAccountCheck();
      this.#startTokenRefresh();
      await ctx.slack?.start();
      await ctx.discord?.start();
      subsystem(ctx.log, 'serve').info(
        {
          port,
          worker: this.options.worker,
          store: ctx.config.store.kind,
          docs: `${ctx.config.publicUrl}/docs`,
          ...(this.#metrics ? { metricsPort: this.#metrics.port } : {}),
        },
        'hayon serving',
      );
      return port;
    } catch (e) {
      // A port in use, a chat connection refused: close what did start, so the process can exit.
      await this.stop().catch(() => {});
      throw e;
    }
  }

  /**
   * Uploads no post used are removed after 24 h: hourly here, for stores without a lifecycle rule
   * (the disk store; an S3 bucket should have the rule in the README, which makes this a no-op).
   */
  #startTempSweep(): void {
    const log = subsystem(this.ctx.log, 'media');
    const sweep = () =>
      this.ctx.media
        .sweepTemp()
        .then((removed) => removed && log.info({ removed }, 'old uploads removed'))
        .catch((err: unknown) => log.warn({ err }, 'could not remove old uploads'));
    void sweep();
    this.#tempSweep = setInterval(sweep, 3600_000).unref();
  }

  /** Every account verified with its platform every few hours, so a revoked one is found before a post needs it. */
  #startAccountCheck(): void {
    const every = this.ctx.config.accountHealth.checkEveryMs;
    if (every <= 0) return;
    const log = subsystem(this.ctx.log, 'accounts');
    const check = () =>
      this.ctx.health
        .checkAll()
        .then((checks) => {
          const expired = checks.filter((c) => c.result === 'expired').length;
          log.info({ checked: checks.length, expired }, 'accounts checked');
        })
        .catch((err: unknown) => log.warn({ err }, 'could not check accounts'));
    this.#accountCheck = setInterval(check, every).unref();
  }

  /** Tokens that would expire before the next look (and a margin) are renewed now. */
  #startTokenRefresh(): void {
    const log = subsystem(this.ctx.log, 'accounts');
    const every = this.ctx.config.accountHealth.refreshEveryMs;
    const refresh = () =>
      this.ctx.health
        .refreshDue(2 * every + 5 * 60_000)
        .then((r) => (r.refreshed || r.refused) && log.info(r, 'tokens renewed'))
        .catch((err: unknown) => log.warn({ err }, 'could not renew tokens'));
    void refresh();
    this.#tokenRefresh = setInterval(refresh, every).unref();
  }

  async stop(): Promise<void> {
    const log = subsystem(this.ctx.log, 'serve');
    const started = Date.now();
    if (this.#server) log.info({}, 'hayon stopping');
    clearInterval(this.#tempSweep);
    clearInterval(this.#accountCheck);
    clearInterval(this.#tokenRefresh);
    const server = this.#server;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      this.#server = undefined;
    }
    const serving = Boolean(server);
    await this.ctx.dispose();
    // Last: a scrape during the stop still sees the final counts.
    await this.#metrics?.stop();
    this.#metrics = undefined;
    if (serving) log.info({ tookMs: Date.now() - started }, 'hayon stopped');
  }
}
