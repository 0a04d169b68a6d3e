import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server.js';

type Route = { kind: 'file'; bytes: Uint8Array; contentType: string } | { kind: 'redirect'; location: string };

/**
 * A website that attachments are fetched from (a CMS, a CDN): files and redirects by path, on
 * 127.0.0.1. Its host must be in `HAYON_FETCH_ALLOW_HOSTS` for hayon to reach it at all.
 */
export class FakeMediaServer {
  readonly #server = new LocalServer<never>();
  readonly #routes = new Map<string, Route>();
  /** Paths requested, in order. */
  readonly requests: string[] = [];

  get origin(): string {
    return this.#server.origin;
  }

  get host(): string {
    return new URL(this.#server.origin).host;
  }

  start(): Promise<string> {
    return this.#server.start(
      async (req: IncomingMessage, res: ServerResponse) => {
        const path = req.url ?? '/';
        this.requests.push(path);
        const route = this.#routes.get(path);
        if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        if (route.kind === 'redirect') return void res.writeHead(302, { location: route.location }).end();
        res
          .writeHead(200, { 'content-type': route.contentType, 'content-length': route.bytes.length })
          .end(route.bytes);
      },
      (res) => res.writeHead(500).end(),
    );
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }

  /** Serves `bytes` at `path` with the given Content-Type (which hayon must not trust); returns the URL. */
  file(path: string, bytes: Uint8Array, contentType: string): string {
    this.#routes.set(path, { kind: 'file', bytes, contentType });
    return `${this.origin}${path}`;
  }

  redirect(path: string, location: string): string {
    this.#routes.set(path, { kind: 'redirect', location });
    return `${this.origin}${path}`;
  }
}
