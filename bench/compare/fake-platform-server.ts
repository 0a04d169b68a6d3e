// The one local platform every system publishes to: a node:http server in a process of its own
// (a platform is another machine; in the bench's process it would take CPU from whichever system
// runs there), answering each publish call after a fixed latency. It records, per key, when the
// first call arrived, when the first answer went out and how many calls came. Keys are unique per
// job (hayon: the delivery id; BullMQ and Agenda: the id the bench gave the job), so a count
// above 1 is a double publish. The bench reads the record over two control routes.
//   child:  node --import tsx bench/compare/fake-platform-server.ts <latencyMs>  → prints {"url":…}
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Arrival {
  /** When the first call for this key arrived (ms since the epoch, the one clock of this machine). */
  startedAt: number;
  /** When the answer to the first call went out. */
  finishedAt?: number;
  calls: number;
}

export interface FakePlatformServer {
  /** `http://127.0.0.1:<port>`; publish with `publishCall(url, key)`. */
  readonly url: string;
  /** Resolves once the first publish call of every key has been answered, or at `deadline` (ms since the epoch). */
  waitPublished(keys: readonly string[], deadline: number): Promise<void>;
  /** What the platform saw of each key (keys it never saw are absent). */
  arrivals(keys: readonly string[]): Promise<Map<string, Arrival>>;
  close(): Promise<void>;
}

/** Starts the fake platform in a child process answering after `latencyMs` (at once for 0). */
export async function startFakePlatformServer(options: { latencyMs: number }): Promise<FakePlatformServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), String(options.latencyMs)],
    // Its stdin is ours: it ends when this process does, however it ends, and the child then exits.
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the fake platform process exited with ${code} before it listened`);
    }),
  ])) as [string];
  const { url } = JSON.parse(first) as { url: string };
  const control = async <T>(route: string, body: unknown): Promise<T> => {
    const res = await fetch(`${url}${route}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`fake platform ${route} answered ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    url,
    async waitPublished(keys, deadline) {
      await control('/_wait', { keys, deadline });
    },
    async arrivals(keys) {
      return new Map(Object.entries(await control<Record<string, Arrival>>('/_arrivals', { keys })));
    },
    async close() {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

/**
 * The server itself (what the child process runs). `POST /p/<key>` publishes (200 `{ id }`);
 * `GET /p/<key>` answers 200 when the key was published and 404 when not (for hayon's reconcile).
 * `POST /_wait {keys, deadline}` answers once every key's first call was answered, or at the
 * deadline; `POST /_arrivals {keys}` answers the record of those keys.
 */
async function serve(latencyMs: number): Promise<Server> {
  const arrivals = new Map<string, Arrival>();
  /** Open `/_wait` calls: the keys each still waits for. */
  const waiters = new Set<{ pending: Set<string>; done: () => void }>();
  const answered = (key: string) => {
    for (const w of waiters) if (w.pending.delete(key) && w.pending.size === 0) w.done();
  };
  const server = createServer((req, res) => {
    const now = Date.now();
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url?.startsWith('/_')) {
      void readJson<{ keys: string[]; deadline?: number }>(req).then((body) => {
        if (req.url === '/_arrivals')
          return json(
            200,
            Object.fromEntries(body.keys.flatMap((k) => (arrivals.has(k) ? [[k, arrivals.get(k)]] : []))),
          );
        const pending = new Set(body.keys.filter((k) => arrivals.get(k)?.finishedAt === undefined));
        if (pending.size === 0) return json(200, {});
        const waiter = {
          pending,
          done() {
            clearTimeout(timer);
            waiters.delete(waiter);
            json(200, {});
          },
        };
        const timer = setTimeout(() => waiter.done(), Math.max(0, (body.deadline ?? now) - now));
        waiters.add(waiter);
      });
      return;
    }
    const key = decodeURIComponent((req.url ?? '').replace(/^\/p\//, ''));
    req.resume();
    if (req.method === 'GET') return json(arrivals.has(key) ? 200 : 404, { id: key });
    const seen = arrivals.get(key);
    const arrival = seen ?? { startedAt: now, calls: 0 };
    arrival.calls++;
    if (!seen) arrivals.set(key, arrival);
    const answer = () => {
      if (arrival.finishedAt === undefined) {
        arrival.finishedAt = Date.now();
        answered(key);
      }
      json(200, { id: key });
    };
    // 0 ms: at once, once the request has been read (no timer turn in between).
    if (latencyMs === 0) req.readableEnded ? answer() : req.once('end', answer);
    else setTimeout(answer, latencyMs);
  });
  // Every worker keeps its connections open; the default 5 s keep-alive would close idle ones mid-run.
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

async function readJson<T>(req: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

/**
 * One publish call, the same client for every system (Node's fetch, keep-alive). Throws on an
 * answer other than 200, so that each system's own retry takes over.
 */
export async function publishCall(url: string, key: string, signal?: AbortSignal): Promise<void> {
  const res = await fetch(`${url}/p/${encodeURIComponent(key)}`, { method: 'POST', ...(signal ? { signal } : {}) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`fake platform answered ${res.status}`);
}

/** Whether the key was published (hayon's reconcile asks this after an attempt whose outcome was lost). */
export async function publishedCall(url: string, key: string, signal?: AbortSignal): Promise<boolean> {
  const res = await fetch(`${url}/p/${encodeURIComponent(key)}`, signal ? { signal } : {});
  await res.arrayBuffer();
  return res.status === 200;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.argv[2]));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.stdin.resume();
  process.stdin.once('end', stop);
}
