import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A running local Bluesky PDS (with its PLC directory). */
export interface TestPds {
  /** `http://localhost:PORT`: the PDS and the service to log in at. */
  url: string;
  adminPassword: string;
  /** Its PLC directory (where its accounts' DID documents are), when known. */
  plcUrl?: string | undefined;
  /** Stops the PDS this harness started; a no-op for one given by `HAYON_TEST_PDS_URL`. */
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const startScript = join(here, 'start.mjs');
/** Written by scripts/test-services.sh when it started a shared PDS. */
const sharedInfoFile = join(here, '..', '..', '..', '.tmp', 'services', 'bluesky-pds.json');
/** The node install.sh built the PDS for (its native module needs that version). */
const nodeFile = join(here, 'node_modules', '.hayon-node');
const readyTimeoutMs = 30_000;

/**
 * Why the PDS cannot be used here, or undefined when it can: either `HAYON_TEST_PDS_URL` names a
 * running one, or `test/servers/bluesky/node_modules` is installed (`install.sh`).
 */
export function pdsUnavailableReason(): string | undefined {
  if (process.env.HAYON_TEST_PDS_URL) return undefined;
  if (existsSync(join(here, 'node_modules', '@atproto', 'pds'))) return undefined;
  return 'the local Bluesky PDS is not installed: run test/servers/bluesky/install.sh';
}

/**
 * A PDS to test against, in this order: the one `HAYON_TEST_PDS_URL` names (admin password from
 * `HAYON_TEST_PDS_ADMIN_PASSWORD`); the shared one scripts/test-services.sh started, if it
 * answers; else a new `start.mjs` child process, ready once it printed its ready line. Only that
 * last one is stopped by `stop()`. Test files share a PDS safely by creating their own accounts.
 *
 * @example
 * const pds = await startPds();
 * afterAll(() => pds.stop());
 */
export async function startPds(): Promise<TestPds> {
  const external = process.env.HAYON_TEST_PDS_URL;
  if (external) {
    return {
      url: external,
      adminPassword: process.env.HAYON_TEST_PDS_ADMIN_PASSWORD ?? '',
      plcUrl: process.env.HAYON_TEST_PLC_URL,
      stop: async () => {},
    };
  }
  const shared = await sharedPds();
  if (shared) return { ...shared, stop: async () => {} };
  // The IPC channel is only there so that the PDS stops by itself if this process dies.
  const child = spawn(pdsNode(), [startScript], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  try {
    const info = await readyLine(child);
    return { ...info, stop: () => stopChild(child) };
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}

async function sharedPds(): Promise<Ready | null> {
  if (!existsSync(sharedInfoFile)) return null;
  const info = parseReady(readFileSync(sharedInfoFile, 'utf8').trim());
  if (!info) return null;
  const healthy = await fetch(`${info.url}/xrpc/_health`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  return healthy ? info : null;
}

/** `HAYON_PDS_NODE`, else the node install.sh built for, else this one. */
function pdsNode(): string {
  if (process.env.HAYON_PDS_NODE) return process.env.HAYON_PDS_NODE;
  const recorded = existsSync(nodeFile) ? readFileSync(nodeFile, 'utf8').trim() : '';
  return recorded && existsSync(recorded) ? recorded : process.execPath;
}

function readyLine(child: ChildProcess): Promise<Ready> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`bluesky test PDS ${why}${stderr ? `:\n${stderr}` : ''}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${readyTimeoutMs} ms`), readyTimeoutMs);
    child.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? code})`));
    child.once('error', (e) => fail(`could not be started (${e.message})`));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const info = parseReady(line);
      if (!info) return;
      clearTimeout(timer);
      lines.close();
      child.stdout?.resume(); // keep draining, so the child never blocks on a full pipe
      resolve(info);
    });
  });
}

interface Ready {
  url: string;
  adminPassword: string;
  plcUrl?: string;
}

function parseReady(line: string): Ready | null {
  if (!line.startsWith('{')) return null;
  try {
    const v = JSON.parse(line) as { url?: unknown; adminPassword?: unknown; plcUrl?: unknown };
    return typeof v.url === 'string' && typeof v.adminPassword === 'string'
      ? { url: v.url, adminPassword: v.adminPassword, ...(typeof v.plcUrl === 'string' ? { plcUrl: v.plcUrl } : {}) }
      : null;
  } catch {
    return null;
  }
}

/** SIGTERM, then SIGKILL if it has not exited within 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
