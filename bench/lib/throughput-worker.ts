// One `hayon worker` process for bench/throughput.ts: the real worker role on MongoDB and
// RabbitMQ (from the environment), publishing to a FakePlatform that answers in 100 ms. On
// SIGTERM it prints what it published, by delivery id and how many times.
import { randomBytes } from 'node:crypto';
import { AppContext } from '../../src/app/app-context.js';
import { envToConfig } from '../../src/config/config.js';
import { readEnv } from '../../src/config/env.js';
import { envToSecrets } from '../../src/config/secrets.js';
import { WorkerRole } from '../../src/roles/worker-role.js';
import { FakePlatform } from '../../test/fakes/fake-platform.js';
import { countPublishes } from './check.js';

const env = readEnv();
const config = envToConfig(env);
const platform = new FakePlatform('bluesky', { latencyMs: 100 });
const published = countPublishes(platform);
const ctx = await AppContext.fromConfig(config, envToSecrets(env, config), { platforms: { bluesky: platform } });
const role = new WorkerRole(ctx);
await role.start();
process.stdout.write(`${JSON.stringify({ ready: true, id: randomBytes(2).toString('hex') })}\n`);
process.on('SIGTERM', async () => {
  await role.stop();
  process.stdout.write(`${JSON.stringify({ published: Object.fromEntries(published) })}\n`, () => process.exit(0));
});
