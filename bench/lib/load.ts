import http from 'node:http';
import { percentile } from './stats.js';

export interface LoadResult {
  /** Requests answered inside the measured window (their latencies make the figures). */
  requests: number;
  /** Requests not answered with the expected status, warm-up included. */
  errors: number;
  /** Every request sent, warm-up included, by the status it got (`network`: no answer). */
  statuses: Record<string, number>;
  /** Every request sent, warm-up included. */
  sent: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /**
   * The load generator's own CPU per request sent, warm-up included, in ms. It shares the
   * machine's cores with the server, so what it spends is taken from the server.
   */
  clientCpuPerRequestMs: number;
}

/** What one request sends: the method, its headers and a body (a string). */
export interface LoadRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Closed-loop load: `clients` loops each send a request as soon as the previous answered, for
 * `durationMs` after `warmupMs` (not counted). Bounded in time and count; loopback only.
 *
 * The client is node:http over kept-alive connections (one per loop at most): about a third of fetch's CPU
 * per request (undici's web streams and Request objects), which on 2 cores is CPU the server gets.
 */
export async function runLoad(options: {
  url: string;
  clients: number;
  durationMs: number;
  warmupMs: number;
  init: () => LoadRequest;
  expectStatus: number;
  /** How long one request may go unanswered before it counts as `network`. Default 30 s. */
  requestTimeoutMs?: number;
}): Promise<LoadResult> {
  const url = new URL(options.url);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  const warmEnd = start + options.warmupMs;
  const end = warmEnd + options.durationMs;
  const send = (request: LoadRequest) =>
    new Promise<string>((resolve) => {
      const body = request.body === undefined ? undefined : Buffer.from(request.body);
      const headers = body ? { ...request.headers, 'content-length': String(body.length) } : request.headers;
      const req = http.request(
        { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method, headers },
        (res) => {
          res.on('data', () => {});
          // A response cut off before its end counts as no answer.
          res.on('close', () => resolve(res.complete ? String(res.statusCode) : 'network'));
        },
      );
      // A server that stops answering ends the request rather than the run's loop.
      req.setTimeout(requestTimeoutMs, () => req.destroy());
      req.on('error', () => resolve('network'));
      req.end(body);
    });
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      sent++;
      const status = await send(options.init());
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== String(options.expectStatus)) errors++;
      const t1 = performance.now();
      if (t0 >= warmEnd && t1 <= end) latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, loop));
  agent.destroy();
  const cpu = process.cpuUsage(cpuAtStart);
  const seconds = options.durationMs / 1000;
  return {
    requests: latencies.length,
    errors,
    statuses,
    sent,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    clientCpuPerRequestMs: (cpu.user + cpu.system) / 1000 / Math.max(1, sent),
  };
}
