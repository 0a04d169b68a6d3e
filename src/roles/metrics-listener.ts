import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { WorkerContext } from '../app/app-context.js';
import { metricsListenerApp } from '../http/routes/metrics.js';
import { subsystem } from '../logger.js';

/**
 * The metrics listener of one process (`HAYON_METRICS_PORT` on `HAYON_METRICS_HOST`), when
 * configured: how Prometheus scrapes each `hayon worker`, whose attempt counters exist only in
 * that process. Resolves with a stop function, or with undefined when none is configured.
 */
export async function startMetricsListener(
  ctx: Pick<WorkerContext, 'config' | 'log' | 'metrics' | 'metricsToken'>,
  options: { shared: boolean },
): Promise<{ port: number; stop(): Promise<void> } | undefined> {
  const listen = ctx.config.metricsListener;
  if (!listen) return undefined;
  const app = metricsListenerApp(ctx, options);
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: listen.port, hostname: listen.host }, (info: AddressInfo) =>
      resolve(info.port),
    );
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(`The metrics listener cannot listen on ${listen.host}:${listen.port} (${err.code ?? err.message}).`),
      ),
    );
  });
  subsystem(ctx.log, 'metrics').info({ port, host: listen.host }, 'metrics listening');
  return {
    port,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
