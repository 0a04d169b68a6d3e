import { ServeRole } from '../../roles/serve-role.js';
import { WorkerRole } from '../../roles/worker-role.js';
import { type Command, parseFlags, UsageError } from '../io.js';

/** Runs until SIGINT or SIGTERM, then stops gracefully (a second signal exits at once). */
async function runUntilSignal(stop: () => Promise<void>): Promise<void> {
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  await stop();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

export const serveUsage = 'hayon serve [--no-worker] [--port N]';
export const workerUsage = 'hayon worker';

export const serveCommand: Command = async ({ args, openServe, io }) => {
  const { values } = parseFlags(args, { 'no-worker': { type: 'boolean' }, port: { type: 'string' } }, serveUsage);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new UsageError(`--port must be a port number\nusage: ${serveUsage}`);
  }
  const ctx = await openServe(port);
  const role = new ServeRole(ctx, { worker: !values['no-worker'] });
  const bound = await role.start();
  const where = ctx.config.store.kind === 'sqlite' ? `data: ${ctx.config.dataDir}` : `store: ${ctx.config.store.kind}`;
  io.err(`hayon listening on http://localhost:${bound} (${where}); Ctrl-C stops`);
  // Without HAYON_PUBLIC_URL, the port it listens on (`--port 0` picks one).
  const base = io.env.HAYON_PUBLIC_URL ? ctx.config.publicUrl : `http://localhost:${bound}`;
  io.err(`API docs: ${base}/docs (${base}/ leads there)`);
  if (!(await ctx.accounts.anyConnected())) {
    io.err(
      'No account is connected yet: hayon accounts connect bluesky (or mastodon, tumblr, …) gives a link to open.',
    );
  }
  await runUntilSignal(() => role.stop());
  io.err('hayon stopped');
  return 0;
};

export const workerCommand: Command = async ({ args, openWorker }) => {
  parseFlags(args, {}, workerUsage);
  const role = new WorkerRole(await openWorker());
  await role.start();
  await runUntilSignal(() => role.stop());
  return 0;
};
