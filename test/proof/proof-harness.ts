import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { main } from '../../src/cli/main.js';
import type { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { mongoDatabaseUrl, mongoTestServer } from '../mongo-server.js';

/**
 * What the three proofs share: `hayon` run as a real child process from compiled code, the way
 * it runs in production, a data dir with an API token and a Mastodon account on a local fake, its
 * memory read from /proc, and the count of what reached the fake.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildsDir = path.join(root, '.tmp', 'proof-build');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every source file the build reads, as path, size and time: a change anywhere makes a new build. */
function sourceKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const s = statSync(file);
        hash.update(`${file}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(path.join(root, 'src'));
  for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json'])
    hash.update(readFileSync(path.join(root, f)));
  return hash.digest('hex').slice(0, 16);
}

let built: Promise<string> | undefined;

/**
 * Compiles `src/` into a folder of its own under `.tmp/proof-build/`, named after the sources,
 * and returns the CLI entry there. Not `dist/`: other suites rebuild `dist/` while these
 * processes run, and a child starting mid-write would load half a file. Reused while no source
 * changes; node_modules resolve from the repository above it.
 */
export function ensureBuilt(): Promise<string> {
  built ??= (async () => {
    const key = sourceKey();
    const dir = path.join(buildsDir, key);
    const entry = path.join(dir, 'dist', 'cli', 'run.js');
    if (existsSync(entry)) return entry;
    const scratch = `${dir}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
    await mkdir(scratch, { recursive: true });
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const args = [tsc, '-p', 'tsconfig.build.json', '--outDir', path.join(scratch, 'dist')];
    const code = await new Promise<number | null>((resolve) => {
      spawn(process.execPath, args, { cwd: root, stdio: 'inherit' }).once('exit', resolve);
    });
    if (code !== 0) {
      await rm(scratch, { recursive: true, force: true });
      throw new Error(`build failed (${code})`);
    }
    // The OpenAPI route reads ../../../package.json from its compiled file.
    await copyFile(path.join(root, 'package.json'), path.join(scratch, 'package.json'));
    // A parallel test file may have finished the same build first: then its copy is used.
    await rename(scratch, dir).catch(() => rm(scratch, { recursive: true, force: true }));
    // Builds of older sources, unless so recent that a test elsewhere may still run one.
    for (const old of readdirSync(buildsDir)) {
      const at = path.join(buildsDir, old);
      if (at !== dir && Date.now() - statSync(at).mtimeMs > 3_600_000) await rm(at, { recursive: true, force: true });
    }
    return entry;
  })();
  return built;
}

/** A hayon process: its JSON log lines are read as they come; `stop` sends a signal and times the exit. */
export interface HayonProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves with the first log line whose `msg` is this (and that passes `where`). */
  waitForLog(
    msg: string,
    timeoutMs?: number,
    where?: (line: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  /** How many log lines with this `msg` were seen so far, and the first of them. */
  seen(msg: string): { count: number; first?: Record<string, unknown> };
  /** The last lines of stderr, for a failure message. */
  stderrTail(): string;
  /** Each distinct warning or error it logged (pino level 40 and up): how often, and the first line. */
  warnings(): { msg: string; count: number; first: Record<string, unknown> }[];
  /** Sends `signal` and waits for the exit: the exit code (null when killed by a signal) and how long it took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export async function spawnHayon(args: string[], env: Record<string, string>): Promise<HayonProcess> {
  const entry = await ensureBuilt();
  // Only the env given configures it: none of the HAYON_* variables of the shell running the tests.
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('HAYON_'));
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: root,
    env: { ...Object.fromEntries(inherited), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listeners = new Set<(line: Record<string, unknown>) => void>();
  const seen = new Map<string, { count: number; first: Record<string, unknown> }>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    const msg = String(line.msg);
    const known = seen.get(msg);
    if (known) known.count++;
    else seen.set(msg, { count: 1, first: line });
    for (const listener of listeners) listener(line);
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (text) => {
    stderr.push(text);
    if (stderr.length > 40) stderr.shift();
  });
  const waitForLog: HayonProcess['waitForLog'] = (msg, timeoutMs = 60_000, where = () => true) =>
    new Promise((resolve, reject) => {
      const done = (error?: Error, line?: Record<string, unknown>) => {
        clearTimeout(timer);
        listeners.delete(listener);
        if (error) reject(error);
        else resolve(line!);
      };
      const listener = (line: Record<string, unknown>) => line.msg === msg && where(line) && done(undefined, line);
      const timer = setTimeout(() => done(new Error(`no "${msg}" log line in ${timeoutMs} ms`)), timeoutMs);
      listeners.add(listener);
      void exited.then(({ code }) => done(new Error(`exited with ${code} before "${msg}": ${stderr.join('\n')}`)));
    });
  return {
    child,
    pid: child.pid!,
    waitForLog,
    seen: (msg) => seen.get(msg) ?? { count: 0 },
    stderrTail: () => stderr.join('\n'),
    warnings: () =>
      [...seen]
        .filter(([, s]) => Number(s.first.level) >= 40)
        .map(([msg, s]) => ({ msg, count: s.count, first: s.first })),
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await exited;
      return { ...result, ms: Date.now() - started };
    },
  };
}

/** `hayon serve` (embedded unless the env says otherwise) on a free port; resolves once it serves. */
export async function startServe(
  env: Record<string, string>,
  args: string[] = [],
): Promise<HayonProcess & { apiUrl: string }> {
  const hayon = await spawnHayon(['serve', '--port', '0', ...args], env);
  try {
    const ready = await hayon.waitForLog('hayon serving');
    return { ...hayon, apiUrl: `http://127.0.0.1:${ready.port}` };
  } catch (e) {
    await hayon.stop('SIGKILL');
    throw e;
  }
}

/** Runs a CLI command in this process against the data dir of `env`. */
export async function cli(env: Record<string, string>, args: string[]): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd: root });
  if (code !== 0) throw new Error(`hayon ${args[0]} ${args[1]} failed (${code}): ${err.join('\n')}`);
  return out;
}

export interface ProofSetup {
  env: Record<string, string>;
  dataDir: string;
  token: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh data dir with an API token and one Mastodon account on `fake`: the env for `hayon
 * serve`. Pacing is off (hundreds of posts to one account are the point here, not the 300 per 5
 * minutes Mastodon allows) and so is the per-token request limit.
 */
export async function prepareDataDir(
  fake: FakeMastodonServer,
  extra: Record<string, string> = {},
): Promise<ProofSetup> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hayon-proof-'));
  const env: Record<string, string> = {
    HAYON_DATA_DIR: dataDir,
    HAYON_SECRET_KEY: randomBytes(32).toString('hex'),
    HAYON_HOST: '127.0.0.1',
    HAYON_PACING: 'false',
    HAYON_RATE_LIMIT_PER_TOKEN: '1000000',
    HAYON_LOG_LEVEL: 'info',
    ...extra,
  };
  const quiet = { ...env, HAYON_LOG_LEVEL: 'warn' };
  const [token] = await cli(quiet, ['tokens', 'create', '--name', 'proof']);
  const credentials = path.join(dataDir, 'mastodon.json');
  await writeFile(credentials, JSON.stringify({ instanceUrl: fake.url, accessToken: fake.token }));
  await cli(quiet, ['accounts', 'add', 'mastodon', '--credentials-file', credentials]);
  return { env, dataDir, token: token!, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}

/** POST /v1/posts with the token; the post's id. A refusal throws with the answer. */
export async function createPost(apiUrl: string, token: string, body: unknown, key?: string): Promise<string> {
  const res = await fetch(`${apiUrl}/v1/posts`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  if (res.status !== 202 && res.status !== 200) throw new Error(`POST /v1/posts: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/**
 * Sends `count` posts at a steady `perSecond`, each at its own time whether or not the ones before
 * were answered (as independent clients do), with idempotency keys `key(i)`. Resolves when all
 * are answered: which were accepted (200/202) and which were refused or could not connect.
 */
export async function postAtRate(
  apiUrl: string,
  token: string,
  count: number,
  perSecond: number,
  body: (i: number) => unknown,
  key: (i: number) => string = (i) => `proof-${i}`,
): Promise<{ accepted: number[]; refused: number[] }> {
  const accepted: number[] = [];
  const refused: number[] = [];
  const started = Date.now();
  const sent: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / perSecond - Date.now();
    if (wait > 0) await sleep(wait);
    sent.push(
      createPost(apiUrl, token, body(i), key(i)).then(
        () => void accepted.push(i),
        () => void refused.push(i),
      ),
    );
  }
  await Promise.all(sent);
  return { accepted, refused };
}

/** The resident set of a process, in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for ${pid}`);
  return kb / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped (or the process is gone). */
export class RssSampler {
  readonly samples: { at: number; mb: number }[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(pid: number, everyMs = 1_000) {
    const take = () => {
      try {
        this.samples.push({ at: Date.now(), mb: rssMb(pid) });
      } catch {
        clearInterval(this.#timer);
      }
    };
    this.#timer = setInterval(take, everyMs);
    take();
  }

  /** The samples taken from `from` (ms since the epoch) on, before `to`. */
  between(from: number, to = Number.POSITIVE_INFINITY): number[] {
    return this.samples.filter((s) => s.at >= from && s.at < to).map((s) => s.mb);
  }

  get max(): number {
    return Math.max(...this.samples.map((s) => s.mb));
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How many statuses the fake holds per text: the texts never published, and those published more than once. */
export function tally(fake: FakeMastodonServer, texts: readonly string[]): { missing: string[]; doubled: string[] } {
  const seen = new Map<string, number>();
  for (const s of fake.statuses) seen.set(s.text, (seen.get(s.text) ?? 0) + 1);
  return {
    missing: texts.filter((t) => !seen.has(t)),
    doubled: [...seen].filter(([, n]) => n > 1).map(([t]) => t),
  };
}

/** Polls `check` every `everyMs` until it is true; false when `timeoutMs` passed first. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

function serviceUrl(name: string, envName: string): string | undefined {
  if (process.env[envName]) return process.env[envName];
  const file = path.join(root, '.tmp', 'services', `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url : undefined;
}

/**
 * The env of a scaled hayon (see scaledUnavailableReason for when it can run): a database and a
 * RabbitMQ vhost of its own, and how to remove both afterwards.
 */
export function scaledEnv(): { env: Record<string, string>; cleanup(): Promise<void> } {
  const mongo = mongoTestServer().url!;
  const amqp = serviceUrl('rabbitmq', 'HAYON_TEST_AMQP_URL')!.replace(/\/+$/, '');
  const name = `hayon-proof-${randomBytes(4).toString('hex')}`;
  execFileSync('rabbitmqctl', ['add_vhost', name], { stdio: 'ignore' });
  execFileSync('rabbitmqctl', ['set_permissions', '-p', name, 'guest', '.*', '.*', '.*'], { stdio: 'ignore' });
  // A small pool per process, as the scaled suites use.
  const mongoUrl = mongoDatabaseUrl(mongo, name.replaceAll('-', '_'), { maxPoolSize: '8' });
  return {
    env: { HAYON_MONGODB_URL: mongoUrl, HAYON_AMQP_URL: `${amqp}/${name}` },
    async cleanup() {
      execFileSync('rabbitmqctl', ['delete_vhost', name], { stdio: 'ignore' });
      const conn = await mongoose.createConnection(mongoUrl).asPromise();
      await conn.dropDatabase();
      await conn.close();
    },
  };
}

export const mb = (n: number) => `${n.toFixed(1)} MB`;
