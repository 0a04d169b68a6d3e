import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RabbitTransport } from '../../src/queue/rabbitmq/rabbit-transport.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';

/** A fresh FerretDB/MongoDB database and RabbitMQ prefix from scripts/test-services.sh, for a benchmark. */
export function scaledOverrides(name: string) {
  const url = (service: string) =>
    (JSON.parse(readFileSync(`.tmp/services/${service}.json`, 'utf8')) as { url: string }).url;
  const tag = randomBytes(3).toString('hex');
  return {
    store: new MongoStore({ url: url('ferretdb'), dbName: `bench_${name}_${tag}` }),
    transport: new RabbitTransport({ url: url('rabbitmq'), prefix: `bench_${tag}_` }),
  };
}
