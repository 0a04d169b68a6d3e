import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { mongoDatabaseUrl, mongoTestServer } from '../mongo-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const services = path.join(root, '.tmp', 'services');

function serviceUrl(name: string, envName: string): string | undefined {
  if (process.env[envName]) return process.env[envName];
  const file = path.join(services, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url : undefined;
}

/** Why the scaled suites cannot run here, or undefined when a MongoDB-compatible server and RabbitMQ are up. */
export function scaledUnavailableReason(): string | undefined {
  const mongo = mongoTestServer();
  if (mongo.skip !== undefined) return mongo.skip;
  if (!serviceUrl('rabbitmq', 'HAYON_TEST_AMQP_URL')) return 'no RabbitMQ (run scripts/test-services.sh)';
  return undefined;
}

/** A fresh RabbitMQ vhost for one test file, so queues never mix between files. */
function createVhost(baseUrl: string): string {
  const vhost = `hayon-test-${randomBytes(4).toString('hex')}`;
  execFileSync('rabbitmqctl', ['add_vhost', vhost], { stdio: 'ignore' });
  execFileSync('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'], { stdio: 'ignore' });
  return `${baseUrl.replace(/\/+$/, '')}/${vhost}`;
}

export interface Cluster {
  env: Record<string, string>;
  apiUrl: string;
  token: string;
  /** Runs a CLI command in this process against the cluster's store; returns its output. */
  cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }>;
  workers: (ChildProcess | undefined)[];
  startWorker(i: number): Promise<void>;
  /** Where each process serves its metrics (`HAYON_METRICS_PORT=0`: a free port each). */
  metricsUrls(): { api: string; workers: string[] };
  /** The processes' log lines at warn or above (the last 500), for a failing test to print. */
  warnings(): string[];
  killWorker(i: number, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

let built: Promise<void> | undefined;

/**
 * The roles run from the compiled `dist/`, as in production: a worker restarted by the chaos
 * test is up in a fraction of a second, where tsx would compile everything again. Built once
 * per test process, so the code under test is the code in the tree.
 */
function ensureBuilt(): Promise<void> {
  built ??= new Promise((resolve, reject) => {
    const tsc = spawn(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    tsc.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build failed (${code})`))));
  });
  return built;
}

function spawnHayon(args: string[], env: Record<string, string>, warnings: string[]): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'bin/hayon.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  keepWarnings(child, args[0]!, warnings);
  return child;
}

/** pino's level of `warn`: lines at it or above are kept for a failing test to print. */
const warnLevel = 40;
const keptWarnings = 500;

function keepWarnings(child: ChildProcess, role: string, warnings: string[]): void {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const entry = JSON.parse(line) as { level?: number };
      if ((entry.level ?? 0) < warnLevel) return;
    } catch {
      // not a log line: kept as it is
    }
    warnings.push(`${role} ${child.pid}: ${line}`);
    if (warnings.length > keptWarnings) warnings.shift();
  });
}

/** Resolves when a JSON log line with this message appears on the child's stdout. */
function waitForLog(child: ChildProcess, msg: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${msg}" log line in ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === msg) {
          clearTimeout(timer);
          resolve(entry);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before "${msg}"`)));
  });
}

/**
 * Real processes: `hayon serve --no-worker` and N × `hayon worker`, on a MongoDB database and a
 * RabbitMQ vhost of their own. Kill and restart workers at will.
 */
export async function startCluster(options: { workers: number; env?: Record<string, string> }): Promise<Cluster> {
  await ensureBuilt();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hayon-cluster-'));
  const mongo = mongoTestServer().url!;
  const db = `hayon_cluster_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    HAYON_DATA_DIR: dataDir,
    // A small pool per process: several processes share one test server on a 2-core machine.
    HAYON_MONGODB_URL: mongoDatabaseUrl(mongo, db, { maxPoolSize: '8' }),
    HAYON_AMQP_URL: createVhost(serviceUrl('rabbitmq', 'HAYON_TEST_AMQP_URL')!),
    HAYON_SECRET_KEY: randomBytes(32).toString('hex'),
    HAYON_HOST: '127.0.0.1',
    // These runs load hayon on purpose; the per-token limit has its own tests.
    HAYON_RATE_LIMIT_PER_TOKEN: '1000000',
    HAYON_METRICS_PORT: '0',
    ...options.env,
    // The harness waits for the roles' "started" info lines.
    HAYON_LOG_LEVEL: 'info',
  };
  const cli = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { ...env, HAYON_LOG_LEVEL: 'warn' },
      cwd: root,
    });
    return { code, out, err };
  };
  const tokenRun = await cli(['tokens', 'create', '--name', 'cluster']);
  if (tokenRun.code !== 0) throw new Error(`tokens create failed: ${tokenRun.err.join('\n')}`);
  const warnings: string[] = [];
  const api = spawnHayon(['serve', '--no-worker', '--port', '0'], env, warnings);
  const workers: (ChildProcess | undefined)[] = [];
  const workerMetricsPorts: unknown[] = [];
  const startWorker = async (i: number) => {
    const w = spawnHayon(['worker'], env, warnings);
    workers[i] = w;
    workerMetricsPorts[i] = (await waitForLog(w, 'hayon worker started')).metricsPort;
  };
  const stopChild = async (child: ChildProcess | undefined, signal: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  let ready: Record<string, unknown>;
  try {
    ready = await waitForLog(api, 'hayon serving');
    await Promise.all(Array.from({ length: options.workers }, (_, i) => startWorker(i)));
  } catch (e) {
    await Promise.all([api, ...workers].map((c) => stopChild(c, 'SIGKILL')));
    throw e;
  }
  return {
    env,
    apiUrl: `http://127.0.0.1:${ready.port}`,
    token: tokenRun.out[0]!,
    cli,
    workers,
    startWorker,
    metricsUrls: () => ({
      api: `http://127.0.0.1:${ready.metricsPort}/metrics`,
      workers: workerMetricsPorts.map((port) => `http://127.0.0.1:${port}/metrics`),
    }),
    warnings: () => [...warnings],
    killWorker: (i, signal = 'SIGKILL') => stopChild(workers[i], signal),
    async stop() {
      await Promise.all([...workers.map((w) => stopChild(w, 'SIGTERM')), stopChild(api, 'SIGTERM')]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
