import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The broker for tests: `HAYON_TEST_AMQP_URL`, or the one scripts/services/rabbitmq.sh started. */
export function testBrokerUrl(): string | undefined {
  if (process.env.HAYON_TEST_AMQP_URL) return process.env.HAYON_TEST_AMQP_URL;
  const file = path.join(root, '.tmp', 'services', 'rabbitmq.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url : undefined;
}

export interface TestBroker {
  /** The URL of this test file's vhost (or of the shared broker when no vhost could be made). */
  url: string;
  /** This file's own vhost; undefined when `rabbitmqctl` cannot reach the broker (a remote one). */
  vhost?: string;
  /** Why the tests are skipped: no broker configured or none answers. */
  skip?: string;
}

/**
 * Finds the test broker and gives the calling test file a vhost of its own, so that its queues
 * and a forced close of its connections (`rabbitmqctl close_all_connections --vhost`) touch no
 * other file's. Tests within the file isolate themselves further with a queue prefix.
 * Pair with `releaseTestBroker` in `afterAll`.
 */
export async function acquireTestBroker(): Promise<TestBroker> {
  const base = testBrokerUrl();
  if (!base) return { url: '', skip: 'no RabbitMQ: set HAYON_TEST_AMQP_URL or run scripts/services/rabbitmq.sh' };
  try {
    const conn = await amqp.connect(base, { timeout: 2_000 });
    await conn.close();
  } catch (e) {
    return { url: base, skip: `no RabbitMQ answers at ${redact(base)} (${e instanceof Error ? e.message : e})` };
  }
  const vhost = `hayon-test-${randomBytes(4).toString('hex')}`;
  try {
    rabbitmqctl('add_vhost', vhost);
    rabbitmqctl('set_permissions', '-p', vhost, new URL(base).username || 'guest', '.*', '.*', '.*');
  } catch {
    return { url: base };
  }
  return { url: `${base.replace(/\/+$/, '')}/${encodeURIComponent(vhost)}`, vhost };
}

export function releaseTestBroker(broker: TestBroker): void {
  if (broker.vhost) rabbitmqctl('delete_vhost', broker.vhost);
}

/** Runs `rabbitmqctl -q …` on the local node. */
export function rabbitmqctl(...args: string[]): void {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore', timeout: 30_000 });
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//');
