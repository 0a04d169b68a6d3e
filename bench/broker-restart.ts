// bench/broker-restart: how late scheduled posts go out when RabbitMQ restarts just as they fall
// due. Creates posts on MongoDB (DocumentDB) due a few seconds ahead, runs the scheduler and one
// worker in this process against a FakePlatform, stops RabbitMQ's app shortly before the posts are
// due and starts it again a few seconds later, then prints each post's lateness (published minus
// due). Needs scripts/test-services.sh; it restarts the shared broker, so run nothing else beside.
//   npx tsx bench/broker-restart.ts [--posts 200] [--down-ms 4000] [--send-retry-ms 30000]
// `--send-retry-ms 0` is the scheduler without its retry: the sends refused while the broker is
// down are left to the sweeper (HAYON_STRANDED_AFTER_MS, 60 s by default).
// Pacing is off (200 posts to one account at once are the point) and the output says so. A post
// not published exactly once, or a failed delivery, fails the run with no figure.
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { AppContext } from '../src/app/app-context.js';
import { envToConfig } from '../src/config/config.js';
import { readEnv } from '../src/config/env.js';
import { envToSecrets } from '../src/config/secrets.js';
import { createLogger } from '../src/logger.js';
import { WorkerRole } from '../src/roles/worker-role.js';
import { FakePlatform } from '../test/fakes/fake-platform.js';
import { assertAllOk, countPublishes, liftedLimit } from './lib/check.js';
import { scaledEnv } from './lib/scaled.js';
import { percentile, table } from './lib/stats.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '200' },
    'down-ms': { type: 'string', default: '4000' },
    'send-retry-ms': { type: 'string', default: '30000' },
  },
});
const total = Number(values.posts);
const downMs = Number(values['down-ms']);
const sendRetryMs = Number(values['send-retry-ms']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const scaled = scaledEnv('restart');
const env = readEnv({
  ...scaled.vars,
  HAYON_WORKER_CONCURRENCY: '16',
  HAYON_LOG_LEVEL: 'error',
  HAYON_PACING: 'false',
});
const config = envToConfig(env);
const platform = new FakePlatform('bluesky', { latencyMs: 50 });
const published = countPublishes(platform);
const ctx = await AppContext.fromConfig(config, envToSecrets(env, config), {
  platforms: { bluesky: platform },
  log: createLogger('error'),
  scheduler: { sendRetryMs },
});
try {
  await ctx.accounts.ensureWorkspace();
  await ctx.accounts.add('default', 'bluesky', { identifier: 'restart.test', appPassword: 'pw' });
  const role = new WorkerRole(ctx);
  await role.start();
  ctx.scheduler.start();
  // Far enough ahead for creating them all; they fall due together.
  const due = Date.now() + 3_000 + total * 15;
  const expected: string[] = [];
  for (let i = 0; i < total; i++) {
    const out = await ctx.posts.create(
      { text: `restart ${i}`, targets: ['bluesky'], when: new Date(due).toISOString() },
      { workspaceId: 'default', origin: { kind: 'api' } },
    );
    expected.push(out.value.deliveries[0]!.id);
  }
  // Down from 1 s before they are due (stop_app itself takes a moment) for --down-ms.
  await sleep(due - 1_000 - Date.now());
  const stopped = Date.now();
  await run('rabbitmqctl', ['-q', 'stop_app']);
  console.error(`[broker-restart] broker app stopped ${due - Date.now()} ms before the posts are due`);
  await sleep(stopped + downMs - Date.now());
  await run('rabbitmqctl', ['-q', 'start_app']);
  const restarted = Date.now();
  console.error(`[broker-restart] broker app started ${restarted - due} ms after they were due`);
  const deadline = due + 120_000;
  while (platform.posts.size < total && Date.now() < deadline) await sleep(200);
  await sleep(1_000); // a second publish of one would come right after the first
  const counts = await ctx.store.countDeliveries();
  assertAllOk('bench/broker-restart', {
    expected,
    published,
    failed: { 'deliveries failed': counts.failed ?? 0 },
  });
  liftedLimit('pacing', 'HAYON_PACING=false');
  const lateness = [...platform.posts.values()].map((p) => p.at - due);
  const within = (ms: number) => lateness.filter((l) => l <= ms).length;
  console.log(
    `\n${total} posts due together; RabbitMQ down ${downMs} ms from 1 s before; scheduler send retry ${sendRetryMs} ms`,
  );
  console.log(
    table([
      {
        published: `${platform.posts.size} of ${total}`,
        'broker back after due': `${restarted - due} ms`,
        'lateness p50': `${percentile(lateness, 50)} ms`,
        p99: `${percentile(lateness, 99)} ms`,
        max: `${Math.max(...lateness)} ms`,
        'out within 10 s': within(10_000),
        'within 60 s': within(60_000),
      },
    ]),
  );
} finally {
  await run('rabbitmqctl', ['-q', 'start_app']).catch(() => undefined);
  await ctx.dispose();
  scaled.dispose();
}
