import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The broker for tests: `HAYON_TEST_AMQP_URL`, or the one scripts/test-services.sh started. */
export function testBrokerUrl(): string | undefined {
  if (process.env.HAYON_TEST_AMQP_URL) return process.env.HAYON_TEST_AMQP_URL;
  const file = path.join(root, '.tmp', 'services', 'rabbitmq.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url : undefined;
}

/** A vhost of its own for one test file (removed with `dropVhost`). */
export function createVhost(base: string): { url: string; vhost: string } {
  const vhost = `hayon-test-${randomBytes(4).toString('hex')}`;
  execFileSync('rabbitmqctl', ['-q', 'add_vhost', vhost], { stdio: 'ignore' });
  execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'], { stdio: 'ignore' });
  return { url: `${base.replace(/\/+$/, '')}/${vhost}`, vhost };
}

export function dropVhost(vhost: string): void {
  execFileSync('rabbitmqctl', ['-q', 'delete_vhost', vhost], { stdio: 'ignore' });
}
