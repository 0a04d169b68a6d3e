import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What the proxy does to one request instead of (or after) forwarding it. */
export type ProxyFault =
  /** Answer this status, headers and body; the upstream never sees the request. */
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Close the connection without an answer; the upstream never sees the request. */
  | { kind: 'drop' }
  /** Forward the request (the upstream does the work), then close the connection: the answer is lost. */
  | { kind: 'lose-answer' };

interface Armed {
  matches: (method: string, path: string) => boolean;
  fault: ProxyFault;
}

/**
 * A real HTTP(S) server in front of another (a local platform server, the real local PDS) that
 * forwards every request unchanged, except those a test armed with {@link failNext}: those get a
 * 429, a 401, a 5xx, a dropped connection, or are forwarded and then lose their answer. So the
 * Platform contract can drive the same faults against a real server as against a fake.
 */
export class FaultProxy {
  /** `http(s)://127.0.0.1:<port>` once started. */
  url = '';
  /** Every request seen, as `METHOD /path` (query left out), faults included. */
  readonly requests: string[] = [];
  readonly #armed: Armed[] = [];
  #server: ReturnType<typeof createHttpServer> | undefined;
  readonly #upstream: URL;

  /**
   * @param upstream the server to forward to, e.g. `http://127.0.0.1:2583`.
   * @param tls serve HTTPS with this key and certificate; `ca` is trusted for an HTTPS upstream.
   */
  constructor(
    upstream: string,
    readonly tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer },
  ) {
    this.#upstream = new URL(upstream);
  }

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.#handle(req, res);
    this.#server = this.tls
      ? createHttpsServer({ key: this.tls.key, cert: this.tls.cert }, handler)
      : createHttpServer(handler);
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const port = (this.#server.address() as AddressInfo).port;
    this.url = `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  /**
   * The next request whose method and path match meets `fault`. `route` is `METHOD /path/prefix`
   * (`POST /xrpc/com.atproto.repo.createRecord`) or a predicate.
   */
  failNext(route: string | ((method: string, path: string) => boolean), fault: ProxyFault): this {
    const matches =
      typeof route === 'function'
        ? route
        : (method: string, path: string) => {
            const [m, p] = route.split(' ');
            return method === m && path.startsWith(p ?? '');
          };
    this.#armed.push({ matches, fault });
    return this;
  }

  /** How many armed faults have not met their request yet. */
  get pending(): number {
    return this.#armed.length;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.requests.push(`${method} ${path}`);
    const index = this.#armed.findIndex((a) => a.matches(method, path));
    const fault = index >= 0 ? this.#armed.splice(index, 1)[0]?.fault : undefined;
    if (fault?.kind === 'drop') {
      req.resume();
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'answer') {
      req.resume();
      const body = fault.body === undefined ? '' : JSON.stringify(fault.body);
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(body);
      return;
    }
    this.#forward(req, res, fault?.kind === 'lose-answer');
  }

  #forward(req: IncomingMessage, res: ServerResponse, loseAnswer: boolean): void {
    const secure = this.#upstream.protocol === 'https:';
    const headers = { ...req.headers, host: this.#upstream.host };
    const upstream = (secure ? httpsRequest : httpRequest)(
      {
        protocol: this.#upstream.protocol,
        hostname: this.#upstream.hostname,
        port: this.#upstream.port,
        method: req.method,
        path: req.url,
        headers,
        ...(secure && this.tls?.ca ? { ca: this.tls.ca } : {}),
      },
      (answer) => {
        if (loseAnswer) {
          // The upstream did the work; read its answer to the end so it is complete, then hang up.
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  }
}
