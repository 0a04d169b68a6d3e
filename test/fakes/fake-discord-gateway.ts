import { type WebSocket, WebSocketServer } from 'ws';

/**
 * Discord's gateway, the parts a bot that only takes interactions meets (discord.com/developers
 * docs, Gateway): HELLO, the client's IDENTIFY, READY, heartbeats acknowledged, then dispatches
 * (`INTERACTION_CREATE`). JSON encoding, no compression. FakeDiscordApi's `GET /gateway/bot`
 * sends clients here.
 */
export class FakeDiscordGateway {
  #server: WebSocketServer | undefined;
  #socket: WebSocket | undefined;
  #seq = 0;
  url = '';
  /** What the client sent (op codes in order), for tests. */
  readonly received: { op: number; d?: unknown }[] = [];
  #ready: (() => void) | undefined;
  /** Resolves when a client has identified and been sent READY. */
  readonly identified: Promise<void>;

  constructor(private readonly bot: { id: string; applicationId: string }) {
    this.identified = new Promise((resolve) => {
      this.#ready = resolve;
    });
  }

  async start(): Promise<string> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.#server = server;
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    this.url = `ws://127.0.0.1:${typeof address === 'string' ? 0 : address.port}`;
    server.on('connection', (socket: WebSocket) => {
      this.#socket = socket;
      socket.on('message', (data: Buffer) =>
        this.#onMessage(socket, JSON.parse(String(data)) as { op: number; d?: unknown }),
      );
      socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    });
    return this.url;
  }

  #onMessage(socket: WebSocket, message: { op: number; d?: unknown }): void {
    this.received.push(message);
    if (message.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
    if (message.op === 2) {
      this.#dispatch('READY', {
        v: 10,
        user: { id: this.bot.id, username: 'hayon', discriminator: '0', global_name: null, avatar: null, bot: true },
        guilds: [],
        session_id: 'fake-session',
        resume_gateway_url: this.url,
        shard: [0, 1],
        application: { id: this.bot.applicationId, flags: 0 },
      });
      this.#ready?.();
    }
  }

  #dispatch(t: string, d: unknown): void {
    this.#socket?.send(JSON.stringify({ op: 0, t, s: ++this.#seq, d }));
  }

  /** Sends an interaction as Discord does over the gateway. */
  interaction(d: Record<string, unknown>): void {
    this.#dispatch('INTERACTION_CREATE', d);
  }

  async stop(): Promise<void> {
    for (const client of this.#server?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}
