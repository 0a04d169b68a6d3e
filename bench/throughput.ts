// bench/throughput: deliveries/s in scaled mode (MongoDB via DocumentDB, RabbitMQ) for 1, 2 and 4
// worker processes at concurrency 16, against a FakePlatform that answers in 100 ms, beside the
// ideal (workers × 16 / 0.1 s). Needs scripts/test-services.sh to have run. Each delivery must be
// published exactly once over all workers (each reports its counts per delivery) and none fail,
// or the run prints no figure.
//   npx tsx bench/throughput.ts [--deliveries 1200] [--workers 1,2,4]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { AppContext } from '../src/app/app-context.js';
import { envToConfig } from '../src/config/config.js';
import { readEnv } from '../src/config/env.js';
import { envToSecrets } from '../src/config/secrets.js';
import { createLogger } from '../src/logger.js';
import { FakePlatform } from '../test/fakes/fake-platform.js';
import { assertAllOk } from './lib/check.js';
import { scaledEnv, secondsUntilPublished } from './lib/scaled.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({
  options: { deliveries: { type: 'string', default: '1200' }, workers: { type: 'string', default: '1,2,4' } },
});
const total = Number(values.deliveries);
async function run(workers: number) {
  const scaled = scaledEnv('bench', { maxPoolSize: '8' });
  const envVars = {
    ...scaled.vars,
    HAYON_WORKER_CONCURRENCY: '16',
    HAYON_LOG_LEVEL: 'warn',
  };
  const env = readEnv(envVars);
  const config = envToConfig(env);
  const main = await AppContext.fromConfig(config, envToSecrets(env, config), {
    platforms: { bluesky: new FakePlatform('bluesky') },
    log: createLogger('warn'),
  });
  await main.accounts.ensureWorkspace();
  const accounts = 4;
  for (let i = 0; i < accounts; i++)
    await main.accounts.add('default', 'bluesky', { identifier: `bench${i}.test`, appPassword: 'pw' });
  const targets = Array.from({ length: accounts }, (_, i) => `bluesky:bench${i}.test`);
  const expected: string[] = [];
  for (let i = 0; i < total / accounts; i++) {
    const out = await main.posts.create(
      { text: `bench ${i}`, targets },
      { workspaceId: 'default', origin: { kind: 'api' } },
    );
    expected.push(...out.value.deliveries.map((d) => d.id));
  }
  const children: ChildProcess[] = [];
  const reports: Promise<Record<string, number>>[] = [];
  for (let i = 0; i < workers; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/throughput-worker.ts'], {
      env: { ...process.env, ...envVars },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    await once(lines, 'line');
    // The second line, at SIGTERM: what it published.
    reports.push(
      Promise.race([
        once(lines, 'line').then(
          ([line]) => (JSON.parse(line as string) as { published: Record<string, number> }).published,
        ),
        once(lines, 'close').then(() => {
          throw new Error('a worker process ended without saying what it published');
        }),
      ]),
    );
    children.push(child);
  }
  main.scheduler.start();
  const seconds = await secondsUntilPublished(main.store, total, 50);
  for (const c of children) {
    c.kill('SIGTERM');
    await once(c, 'exit');
  }
  const published = new Map<string, number>();
  for (const report of await Promise.all(reports))
    for (const [key, n] of Object.entries(report)) published.set(key, (published.get(key) ?? 0) + n);
  const counts = await main.store.countDeliveries();
  await main.dispose();
  scaled.dispose();
  assertAllOk(`bench/throughput (${workers} workers)`, {
    expected,
    published,
    failed: { 'deliveries failed': counts.failed ?? 0 },
  });
  const ideal = (workers * 16) / 0.1;
  return {
    workers,
    deliveries: total,
    seconds: seconds.toFixed(1),
    'deliveries/s': (total / seconds).toFixed(0),
    ideal,
    'of ideal': `${((100 * total) / seconds / ideal).toFixed(0)}%`,
  };
}

const rows = [];
for (const w of String(values.workers).split(',').map(Number)) rows.push(await run(w));
console.log(
  `\nbench/throughput: scaled mode, DocumentDB + RabbitMQ (scripts/test-services.sh), FakePlatform 100 ms per call`,
);
console.log(table(rows));
