import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RabbitTransport } from '../../src/queue/rabbitmq/rabbit-transport.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { mongoDatabaseUrl } from '../../test/mongo-server.js';

const url = (service: string) =>
  (JSON.parse(readFileSync(`.tmp/services/${service}.json`, 'utf8')) as { url: string }).url;

/** A fresh database on the test server (DocumentDB) and RabbitMQ prefix from scripts/test-services.sh, for a benchmark. */
export function scaledOverrides(name: string) {
  const tag = randomBytes(3).toString('hex');
  return {
    store: new MongoStore({ url: url('mongodb'), dbName: `bench_${name}_${tag}` }),
    transport: new RabbitTransport({ url: url('rabbitmq'), prefix: `bench_${tag}_` }),
  };
}

/**
 * Environment variables for a scaled hayon in this process: a fresh database on the DocumentDB and a
 * fresh vhost on the RabbitMQ of scripts/test-services.sh, and a new secret key. `dispose()`
 * deletes the vhost.
 */
export function scaledEnv(
  name: string,
  mongoOptions: Record<string, string> = {},
): { vars: Record<string, string>; dispose(): void } {
  const tag = randomBytes(3).toString('hex');
  const vhost = `hayon-${name}-${tag}`;
  execFileSync('rabbitmqctl', ['-q', 'add_vhost', vhost]);
  execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  return {
    vars: {
      HAYON_MONGODB_URL: mongoDatabaseUrl(url('mongodb'), `${name}_${tag}`, mongoOptions),
      HAYON_AMQP_URL: `${url('rabbitmq')}/${vhost}`,
      HAYON_SECRET_KEY: randomBytes(32).toString('hex'),
    },
    dispose: () => execFileSync('rabbitmqctl', ['-q', 'delete_vhost', vhost]),
  };
}

/** Waits until `total` deliveries are published (at most 5 minutes), looking every `pollMs`; returns the seconds it took. */
export async function secondsUntilPublished(store: Store, total: number, pollMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const counts = await store.countDeliveries();
    if ((counts.published ?? 0) >= total) return (Date.now() - t0) / 1000;
    if (Date.now() - t0 > 300_000) throw new Error(`stuck: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
