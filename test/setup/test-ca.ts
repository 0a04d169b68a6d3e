/**
 * A certificate authority made for one test run, and a certificate for `localhost`/`127.0.0.1`
 * that it signed: fakes of platforms whose client libraries only speak HTTPS (tumblr.js picks
 * `https` for every base URL) serve with it, and every test process trusts it.
 *
 * Wired as vitest's `globalSetup` (vitest.config.ts). Node reads `NODE_EXTRA_CA_CERTS` only when a
 * process starts, so setting it inside a test file is too late; globalSetup runs in vitest's main
 * process before any worker is forked, and vitest 4 forks each worker with `process.env` as it is
 * then, so the workers start trusting the CA (this needs the `forks` pool, vitest's default: with
 * `--pool=threads` the workers are threads of the main process, which started without it). The library is not patched and no TLS check is
 * turned off: the fake's certificate is verified like a real one. Anything a test spawns inherits
 * the same environment.
 *
 * node:crypto cannot make X.509 certificates; `openssl` (OpenSSL 3) does, into a temp directory
 * removed at teardown.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directory holding `ca.pem`, `server.pem` and `server.key` (see `testTls` in test/fakes/test-tls.ts). */
export const tlsDirVariable = 'HAYON_TEST_TLS_DIR';

/** Makes the CA and the server certificate in `dir`; returns their paths. */
export function makeTestCa(dir: string): { ca: string; cert: string; key: string } {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=hayon test CA (one run)',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(
    at('server.ext'),
    [
      'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
    ].join('\n'),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server.key') };
}

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'hayon-test-ca-'));
  const { ca } = makeTestCa(dir);
  process.env.NODE_EXTRA_CA_CERTS = ca;
  process.env[tlsDirVariable] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
