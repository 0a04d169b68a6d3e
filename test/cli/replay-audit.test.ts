import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { RabbitTransport } from '../../src/queue/rabbitmq/rabbit-transport.js';
import { acquireTestBroker, releaseTestBroker } from '../queue/rabbit-test-broker.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { seedDelivery } from '../store/store-fixtures.js';
import { deliveryMessage } from '../../src/worker/messages.js';

// The CLI's replay uses the production queue names, so it needs a vhost of its own on the broker.
const broker = await acquireTestBroker();
const skip = broker.skip ?? (broker.vhost ? undefined : 'no vhost of its own on the broker (rabbitmqctl unavailable)');
afterAll(() => releaseTestBroker(broker));

describe.skipIf(skip !== undefined)('hayon queue replay-parked records each replay in the audit log', () => {
  it('replays a parked delivery and records delivery.replayed with the post and platform', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hayon-replay-cli-'));
    try {
      const store = new SqliteStore({ path: join(dir, 'hayon.db') });
      await store.init();
      const delivery = await seedDelivery(store, { state: 'failed', attempts: 6 });
      await store.close();
      const transport = new RabbitTransport({ url: broker.url });
      await transport.park(deliveryMessage(delivery, 'corr-1'), 'Gave up after 6 attempts');
      await transport.close();

      const out: string[] = [];
      const io: CliIo = {
        out: (line) => out.push(line),
        err: () => undefined,
        env: {
          HAYON_DATA_DIR: dir,
          HAYON_LOG_LEVEL: 'silent',
          HAYON_AMQP_URL: broker.url,
          HAYON_SECRET_KEY: randomBytes(32).toString('hex'),
        },
        cwd: dir,
      };
      expect(await main(['queue', 'replay-parked'], io)).toBe(0);
      expect(out).toEqual(['replayed 1, dropped 0 (their deliveries were no longer failed)']);
      out.length = 0;
      expect(await main(['audit', '--json', '--workspace', delivery.workspaceId], io)).toBe(0);
      expect(JSON.parse(out[0] ?? '[]')).toMatchObject([
        {
          action: 'delivery.replayed',
          target: delivery.id,
          actor: { kind: 'cli' },
          details: { postId: delivery.postId, platform: delivery.platform },
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
