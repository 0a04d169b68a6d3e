import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of a real server (the MongoDB-compatible test server) that a test can
 * take away and bring back without stopping the server other suites share: `cut()` closes every
 * open connection and stops listening (new connections are refused, as from a stopped server),
 * `restore()` listens again on the same port. Bytes pass through untouched.
 */
export class TcpFaultProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private listenPort = 0;
  private hanging = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return this.listenPort;
  }

  /** Starts listening on 127.0.0.1 (a free port the first time, the same one after a cut). */
  async start(): Promise<number> {
    const server = createServer((client) => {
      if (this.hanging) {
        // Accepted and read, never answered: a server that says neither yes nor no.
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => undefined);
        client.resume();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    if (address && typeof address === 'object') this.listenPort = address.port;
    return this.listenPort;
  }

  /** The server is away: open connections are reset, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * The server hangs: open connections are reset, new ones are accepted and never answered
   * (until `restore()`).
   */
  async hang(): Promise<void> {
    this.hanging = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (!this.server) await this.start();
  }

  /** The server is back on the same port, answering. */
  async restore(): Promise<void> {
    if (this.hanging) {
      this.hanging = false;
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    }
    if (!this.server) await this.start();
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
