import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  headers: Record<string, string | string[] | undefined>;
  /** The raw body, as signed. */
  body: string;
  at: number;
}

/**
 * A CMS or CI system's callback endpoint on 127.0.0.1: records every POST, answers the scripted
 * statuses in order and then 200. hayon reaches it because tests allow its host
 * (`HAYON_FETCH_ALLOW_HOSTS`), as an operator would for a receiver on their LAN.
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  url = '';
  host = '';
  #server: Server | undefined;
  readonly #statuses: number[] = [];

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        res.statusCode = this.#statuses.shift() ?? 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.host = `127.0.0.1:${port}`;
    this.url = `http://${this.host}/hayon-callback?token=receiver-own-token`;
    return this;
  }

  /** The next answers' statuses (then 200). */
  answer(...statuses: number[]): void {
    this.#statuses.push(...statuses);
  }

  /** Received events as parsed JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read events loosely and check them with expect
  events(): { id: string; type: string; [key: string]: any }[] {
    return this.received.map((r) => JSON.parse(r.body));
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}
