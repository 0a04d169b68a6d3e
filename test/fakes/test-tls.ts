import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tlsDirVariable } from '../setup/test-ca.js';

/**
 * The key and certificate a fake serves HTTPS with: signed by the run's test CA, which every test
 * process trusts through `NODE_EXTRA_CA_CERTS` (both set up by test/setup/test-ca.ts, vitest's
 * globalSetup).
 */
export function testTls(): { key: Buffer; cert: Buffer } {
  const dir = process.env[tlsDirVariable];
  if (!dir || !process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error(
      `No test certificate authority: ${tlsDirVariable} and NODE_EXTRA_CA_CERTS are set by test/setup/test-ca.ts, vitest's globalSetup. Run the test with vitest (vitest.config.ts).`,
    );
  }
  return { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) };
}
