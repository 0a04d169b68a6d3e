// The one local platform every system publishes to: a node:http server that answers each publish
// call after a fixed latency and records, per key, when the first call arrived, when the first
// answer went out and how many calls came. Keys are unique per job (hayon: the delivery id;
// BullMQ and Agenda: the id the bench gave the job), so a count above 1 is a double publish.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  /** When the first call for this key arrived (ms since the epoch). */
  startedAt: number;
  /** When the answer to the first call went out. */
  finishedAt?: number;
  calls: number;
}

export interface FakePlatformServer {
  /** `http://127.0.0.1:<port>`; publish with `publishCall(url, key)`. */
  readonly url: string;
  arrival(key: string): Arrival | undefined;
  close(): Promise<void>;
}

/**
 * Starts the server. `POST /p/<key>` publishes (200 `{ id }` after `latencyMs`, at once for 0); `GET /p/<key>`
 * answers 200 when the key was published and 404 when not (for hayon's reconcile).
 */
export async function startFakePlatformServer(options: { latencyMs: number }): Promise<FakePlatformServer> {
  const arrivals = new Map<string, Arrival>();
  const server: Server = createServer((req, res) => {
    const now = Date.now();
    const key = decodeURIComponent((req.url ?? '').replace(/^\/p\//, ''));
    req.resume();
    if (req.method === 'GET') {
      const found = arrivals.get(key);
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ id: key }));
      return;
    }
    const seen = arrivals.get(key);
    const arrival = seen ?? { startedAt: now, calls: 0 };
    arrival.calls++;
    if (!seen) arrivals.set(key, arrival);
    const answer = () => {
      arrival.finishedAt ??= Date.now();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: key }));
    };
    // 0 ms: at once, once the request has been read (no timer turn in between).
    if (options.latencyMs === 0) req.readableEnded ? answer() : req.once('end', answer);
    else setTimeout(answer, options.latencyMs);
  });
  // Every worker keeps its connections open; the default 5 s keep-alive would close idle ones mid-run.
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrival: (key) => arrivals.get(key),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
