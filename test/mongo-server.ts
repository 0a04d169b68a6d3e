import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const services = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.tmp', 'services');

/**
 * The MongoDB-compatible server the Mongo suites, the scaled tests and the scaled benches use:
 * `HAYON_TEST_MONGODB_URL`, else the DocumentDB that scripts/services/documentdb.sh started (its
 * URL in .tmp/services/mongodb.json). `skip` says why there is none, in the words of that script
 * when it could not start one.
 */
export function mongoTestServer(): { url: string; skip?: undefined } | { url?: undefined; skip: string } {
  if (process.env.HAYON_TEST_MONGODB_URL) return { url: process.env.HAYON_TEST_MONGODB_URL };
  const info = path.join(services, 'mongodb.json');
  if (existsSync(info)) return { url: (JSON.parse(readFileSync(info, 'utf8')) as { url: string }).url };
  const missing = path.join(services, 'mongodb.missing');
  if (existsSync(missing)) return { skip: readFileSync(missing, 'utf8').trim() };
  return { skip: 'no MongoDB-compatible server: run scripts/test-services.sh or set HAYON_TEST_MONGODB_URL' };
}

/**
 * `base` (a server URL, perhaps with a path and options) pointed at database `dbName`, with
 * `options` added to its query: `mongodb://u:p@h:1/?authMechanism=X` + `db` →
 * `mongodb://u:p@h:1/db?authMechanism=X`.
 */
export function mongoDatabaseUrl(base: string, dbName: string, options: Record<string, string> = {}): string {
  const [head = '', query = ''] = base.split('?', 2);
  const server = /^(mongodb(?:\+srv)?:\/\/[^/]+)/.exec(head)?.[1];
  if (!server) throw new Error(`not a mongodb:// URL: ${base.replace(/\/\/[^@/]*@/, '//…@')}`);
  const params = new URLSearchParams(query);
  for (const [key, value] of Object.entries(options)) params.set(key, value);
  const rest = params.toString();
  return `${server}/${dbName}${rest ? `?${rest}` : ''}`;
}
