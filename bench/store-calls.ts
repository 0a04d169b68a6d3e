// bench/store-calls: where a scaled deployment's time goes, per Store method. Creates posts on
// MongoDB (DocumentDB) with RabbitMQ, then runs the scheduler and one worker (concurrency 16) in
// this process against a FakePlatform that answers in 100 ms, and prints, for creating and for
// delivering, each Store method's calls, total and mean time. Needs scripts/test-services.sh.
//   npx tsx bench/store-calls.ts [--posts 1000] [--pacing on|off]
// Every delivery must be published exactly once and none fail, or it prints no figure (the per-method
// figures of creating come after that check too). Counts MongoDB commands: bench/round-trips.ts.
// It showed where the time went on FerretDB 1.x (a full-collection `$in`, since removed with FerretDB).
import { parseArgs } from 'node:util';
import { AppContext } from '../src/app/app-context.js';
import { envToConfig } from '../src/config/config.js';
import { readEnv } from '../src/config/env.js';
import { envToSecrets } from '../src/config/secrets.js';
import { createLogger } from '../src/logger.js';
import { WorkerRole } from '../src/roles/worker-role.js';
import { MongoStore } from '../src/store/mongo/mongo-store.js';
import { FakePlatform } from '../test/fakes/fake-platform.js';
import { assertAllOk, countPublishes } from './lib/check.js';
import { scaledEnv, secondsUntilPublished } from './lib/scaled.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({
  options: { posts: { type: 'string', default: '1000' }, pacing: { type: 'string', default: 'on' } },
});
const total = Number(values.posts);
const accounts = 8;

const calls = new Map<string, { n: number; ms: number }>();
function timed<F extends (...args: never[]) => unknown>(name: string, f: F, self: unknown): F {
  return ((...args: Parameters<F>) => {
    const t = performance.now();
    const result = f.apply(self, args);
    if (!(result instanceof Promise)) return result;
    return result.finally(() => {
      const c = calls.get(name) ?? { n: 0, ms: 0 };
      c.n++;
      c.ms += performance.now() - t;
      calls.set(name, c);
    });
  }) as F;
}

// Methods on the prototype, and the ones the store delegates as instance properties.
const proto = MongoStore.prototype as unknown as Record<string, (...args: never[]) => unknown>;
for (const name of Object.getOwnPropertyNames(MongoStore.prototype)) {
  const f = Object.getOwnPropertyDescriptor(MongoStore.prototype, name)?.value;
  if (typeof f === 'function' && name !== 'constructor')
    proto[name] = function (this: unknown, ...args: never[]) {
      return timed(name, f, this)(...args);
    };
}

/** The tables, printed once the run is known to have done all its work. */
const reports: string[] = [];
function report(title: string): void {
  calls.delete('countDeliveries'); // this bench's own polling
  const rows = [...calls].sort((a, b) => b[1].ms - a[1].ms);
  reports.push(
    `\n${title}\n${table(
      rows.map(([name, c]) => ({
        method: name,
        calls: c.n,
        'total ms': c.ms.toFixed(0),
        'mean ms': (c.ms / c.n).toFixed(1),
      })),
    )}`,
  );
  calls.clear();
}

const scaled = scaledEnv('calls');
const env = readEnv({
  ...scaled.vars,
  HAYON_WORKER_CONCURRENCY: '16',
  HAYON_LOG_LEVEL: 'warn',
  HAYON_PACING: values.pacing === 'off' ? 'false' : 'true',
});
const config = envToConfig(env);
const platform = new FakePlatform('bluesky', { latencyMs: 100 });
const published = countPublishes(platform);
const ctx = await AppContext.fromConfig(config, envToSecrets(env, config), {
  platforms: { bluesky: platform },
  log: createLogger('warn'),
});
const store = ctx.store as unknown as Record<string, (...args: never[]) => unknown>;
for (const name of Object.keys(store)) {
  const f = store[name];
  if (typeof f === 'function') store[name] = timed(name, f, store);
}
try {
  await ctx.accounts.ensureWorkspace();
  for (let i = 0; i < accounts; i++)
    await ctx.accounts.add('default', 'bluesky', { identifier: `calls${i}.test`, appPassword: 'pw' });
  const t0 = Date.now();
  const expected: string[] = [];
  for (let i = 0; i < total; i++) {
    const out = await ctx.posts.create(
      { text: `calls ${i}`, targets: [`bluesky:calls${i % accounts}.test`] },
      { workspaceId: 'default', origin: { kind: 'api' } },
    );
    expected.push(out.value.deliveries[0]!.id);
  }
  const createMs = Date.now() - t0;
  report(`creating ${total} posts one after another: ${(createMs / total).toFixed(1)} ms a post`);
  const role = new WorkerRole(ctx);
  await role.start();
  ctx.scheduler.start();
  const seconds = await secondsUntilPublished(ctx.store, total, 200);
  report(
    `delivering them (one worker, concurrency 16, pacing ${values.pacing}): ${seconds.toFixed(1)} s, ${(total / seconds).toFixed(0)} deliveries/s`,
  );
  await new Promise((r) => setTimeout(r, 1_000)); // a second publish of one would come right after the first
  const counts = await ctx.store.countDeliveries();
  assertAllOk('bench/store-calls', { expected, published, failed: { 'deliveries failed': counts.failed ?? 0 } });
  for (const r of reports) console.log(r);
} finally {
  await ctx.dispose();
  scaled.dispose();
}
