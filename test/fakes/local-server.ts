import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * What every fake platform server shares: a real HTTP server on 127.0.0.1 at a free port, a
 * handler whose exceptions become a 500 with the fake's own error body, and answers scripted per
 * route, taken in order.
 */
export class LocalServer<Answer> {
  /** `http://127.0.0.1:<port>` (or `https://`) once started. */
  origin = '';
  #server: Server | undefined;
  readonly #script = new Map<string, Answer[]>();

  async start(
    handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
    onError: (res: ServerResponse, e: unknown) => void,
    /** Serve HTTPS with this key and certificate (`testTls()`), for clients that only speak HTTPS. */
    tls?: { key: Buffer; cert: Buffer },
  ): Promise<string> {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      handle(req, res).catch((e) => onError(res, e));
    };
    this.#server = tls ? createHttpsServer(tls, listener) : createServer(listener);
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.origin = `${tls ? 'https' : 'http'}://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.origin;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  /** Stops listening (connections are refused) until {@link up}; what the fake holds is kept. */
  async down(): Promise<void> {
    await this.stop();
  }

  /** Listens again on the same port after {@link down}. */
  async up(): Promise<void> {
    const port = Number(new URL(this.origin).port);
    await new Promise<void>((resolve, reject) => {
      this.#server?.once('error', reject).listen(port, '127.0.0.1', () => resolve());
    });
  }

  /** Queues `answer` for the next request to `route`. */
  script(route: string, ...answers: Answer[]): void {
    const list = this.#script.get(route) ?? [];
    list.push(...answers);
    this.#script.set(route, list);
  }

  /** The answer scripted for this request to `route`, if any. */
  scripted(route: string): Answer | undefined {
    return this.#script.get(route)?.shift();
  }
}
