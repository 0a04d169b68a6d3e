// One `hayon worker` process for bench/throughput.ts: the real worker role on MongoDB and
// RabbitMQ (from the environment), publishing to a FakePlatform that answers in 100 ms.
import { randomBytes } from 'node:crypto';
import { AppContext } from '../../src/app/app-context.js';
import { envToConfig } from '../../src/config/config.js';
import { readEnv } from '../../src/config/env.js';
import { envToSecrets } from '../../src/config/secrets.js';
import { WorkerRole } from '../../src/roles/worker-role.js';
import { FakePlatform } from '../../test/fakes/fake-platform.js';

const env = readEnv();
const config = envToConfig(env);
const platform = new FakePlatform('bluesky', { latencyMs: 100 });
const ctx = await AppContext.fromConfig(config, envToSecrets(env, config), { platforms: { bluesky: platform } });
const role = new WorkerRole(ctx);
await role.start();
process.stdout.write(`${JSON.stringify({ ready: true, id: randomBytes(2).toString('hex') })}\n`);
process.on('SIGTERM', async () => {
  await role.stop();
  process.stderr.write(`worker published ${platform.posts.size} (calls ${platform.calls})\n`);
  process.exit(0);
});
