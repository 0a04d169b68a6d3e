// bench/round-trips: how many MongoDB commands a post costs to create and a delivery costs to
// publish, on the MongoDB path (MongoStore on the DocumentDB of scripts/test-services.sh, RabbitMQ
// transport), counted with the driver's command monitoring (`monitorCommands=true` on the
// connection, one `commandStarted` event per command sent). Prints them per operation, by command
// name and by the Store method that sent them, beside the goal of issue #21: at most 2 commands
// to create a post, at most 4 to publish a delivery (claim, finish, one write for history and
// pacing together). It only measures.
// FakePlatform answers at once; hayon's defaults otherwise (pacing on, worker concurrency 16).
//   1. create: N posts due now, one after another, through PostsService.create, with the
//      scheduler and the worker stopped (so nothing else talks to the store);
//   2. publish: then the scheduler and the delivery worker start, until all N are published.
//      Everything the store is asked in that time counts, divided by N (the scheduler's batched
//      takeDue is shared by the deliveries of one batch; the sweeper and the outbox senders, which
//      poll on timers of their own, do not run).
// Every delivery must be published exactly once and none fail, or it prints no figure.
// FerretDB is gone from the project (DocumentDB is the test server), so there is no FerretDB path
// to count any more: the one path printed is the MongoDB one.
//   npx tsx bench/round-trips.ts [--posts 200]
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseArgs } from 'node:util';
import type { CommandStartedEvent, MongoClient } from 'mongodb';
import type { Connection } from 'mongoose';
import { AppContext } from '../src/app/app-context.js';
import { envToConfig } from '../src/config/config.js';
import { readEnv } from '../src/config/env.js';
import { envToSecrets } from '../src/config/secrets.js';
import { createLogger } from '../src/logger.js';
import { MongoStore } from '../src/store/mongo/mongo-store.js';
import { FakePlatform } from '../test/fakes/fake-platform.js';
import { assertAllOk, countPublishes } from './lib/check.js';
import { scaledEnv } from './lib/scaled.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({ options: { posts: { type: 'string', default: '200' } } });
const total = Number(values.posts);
const accounts = 4;
const goals = { create: 2, publish: 4 } as const;

/** The Store method a command was sent from (the outermost one), through the async calls under it. */
const method = new AsyncLocalStorage<string>();

/** Commands seen while counting: by command name, and by Store method → command names. */
let counting = false;
const byCommand = new Map<string, number>();
const byMethod = new Map<string, Map<string, number>>();
const calls = new Map<string, number>();
function onCommand(event: CommandStartedEvent): void {
  if (!counting) return;
  const from = method.getStore() ?? '(no Store method)';
  byCommand.set(event.commandName, (byCommand.get(event.commandName) ?? 0) + 1);
  const names = byMethod.get(from) ?? new Map<string, number>();
  names.set(event.commandName, (names.get(event.commandName) ?? 0) + 1);
  byMethod.set(from, names);
}
const inc = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** Counts what `run` costs, per operation (`per`): returns the printed report. */
async function measure(per: number, run: () => Promise<void>): Promise<{ total: number; report: string }> {
  byCommand.clear();
  byMethod.clear();
  calls.clear();
  counting = true;
  await run();
  counting = false;
  const n = (x: number) => (x / per).toFixed(2);
  const sum = [...byCommand.values()].reduce((a, b) => a + b, 0);
  const commands = table(
    [...byCommand].sort((a, b) => b[1] - a[1]).map(([name, c]) => ({ command: name, each: n(c) })),
  );
  const methods = table(
    [...byMethod]
      .map(([name, cmds]) => ({ name, cmds, all: [...cmds.values()].reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.all - a.all)
      .map(({ name, cmds, all }) => ({
        'Store method': name,
        calls: n(calls.get(name) ?? 0),
        commands: n(all),
        which: [...cmds].map(([c, k]) => `${c} ${n(k)}`).join(', '),
      })),
  );
  return { total: sum / per, report: `${commands}\n\n${methods}` };
}

const scaled = scaledEnv('roundtrips', { monitorCommands: 'true' });
const env = readEnv({ ...scaled.vars, HAYON_LOG_LEVEL: 'warn' });
const config = envToConfig(env);
const platform = new FakePlatform('bluesky');
const published = countPublishes(platform);
const ctx = await AppContext.fromConfig(config, envToSecrets(env, config), {
  platforms: { bluesky: platform },
  log: createLogger('warn'),
});
// Each Store method, on the prototype or delegated as an instance property: the outermost call is
// counted and names the commands sent under it.
const store = ctx.store as unknown as Record<string, unknown>;
for (const name of new Set([...Object.getOwnPropertyNames(MongoStore.prototype), ...Object.keys(store)])) {
  const f = store[name];
  if (typeof f !== 'function' || name === 'constructor') continue;
  store[name] = (...args: unknown[]) => {
    const call = () => (f as (...a: unknown[]) => unknown).apply(ctx.store, args);
    if (method.getStore()) return call();
    if (counting) inc(calls, name);
    return method.run(name, call);
  };
}
const client: MongoClient = (ctx.store as unknown as { connection: Connection }).connection.getClient();
client.on('commandStarted', onCommand);
try {
  await ctx.accounts.ensureWorkspace();
  const targets: string[] = [];
  for (let i = 0; i < accounts; i++)
    targets.push((await ctx.accounts.add('default', 'bluesky', { identifier: `rt${i}.test`, appPassword: 'pw' })).id);
  const expected: string[] = [];
  // One post first, not counted: the first create of a process reads the workspace and its
  // accounts, which the posts service then keeps (and drops when one changes).
  const warm = await ctx.posts.create(
    { text: 'round trip warm-up', targets: [targets[0]!] },
    { workspaceId: 'default', origin: { kind: 'api' } },
  );
  expected.push(warm.value.deliveries[0]!.id);
  const create = await measure(total, async () => {
    for (let i = 0; i < total; i++) {
      const out = await ctx.posts.create(
        { text: `round trip ${i}`, targets: [targets[i % accounts]!] },
        { workspaceId: 'default', origin: { kind: 'api' } },
      );
      expected.push(out.value.deliveries[0]!.id);
    }
  });
  const publish = await measure(expected.length, async () => {
    // The delivery loop and the scheduler only: the sweeper and the outbox senders poll on timers
    // of their own, a cost per minute rather than per delivery.
    await ctx.worker.start();
    ctx.scheduler.start();
    const deadline = Date.now() + 300_000;
    while (platform.posts.size < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // What the worker writes after the platform answered (finish, history, pacing), and a
    // second publish if there were one.
    await new Promise((r) => setTimeout(r, 1_000));
  });
  const counts = await ctx.store.countDeliveries();
  assertAllOk('bench/round-trips', {
    expected,
    published,
    failed: {
      'deliveries failed': counts.failed ?? 0,
      'deliveries not published': expected.length - (counts.published ?? 0),
    },
  });
  const row = (op: string, n: number, goal: number) => ({
    operation: op,
    'commands each': n.toFixed(2),
    goal: `<= ${goal}`,
    met: n <= goal ? 'yes' : 'no',
  });
  console.log(
    `\nbench/round-trips: MongoDB path (MongoStore on DocumentDB, RabbitMQ), ${total} posts to ${accounts} accounts, ` +
      'pacing on, FakePlatform at once; commands counted by the driver (commandStarted)',
  );
  console.log(
    table([row('create a post', create.total, goals.create), row('publish a delivery', publish.total, goals.publish)]),
  );
  console.log(`\ncreate a post, per post:\n${create.report}`);
  console.log(`\npublish a delivery, per delivery:\n${publish.report}`);
} finally {
  await ctx.dispose();
  scaled.dispose();
}
