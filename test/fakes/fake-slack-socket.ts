import { randomUUID } from 'node:crypto';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * Slack's Socket Mode end, as documented (api.slack.com/apis/socket-mode): the client connects to
 * the URL `apps.connections.open` gave it, gets `hello`, and acknowledges each envelope by its
 * `envelope_id` (with a response payload where the type allows one). FakeSlackApi hands out this
 * server's URL.
 */
export class FakeSlackSocket {
  #server: WebSocketServer | undefined;
  #socket: WebSocket | undefined;
  readonly #acks = new Map<string, (ack: Record<string, unknown>) => void>();
  #connected: (() => void) | undefined;
  readonly connected: Promise<void>;
  url = '';

  constructor() {
    this.connected = new Promise((resolve) => {
      this.#connected = resolve;
    });
  }

  async start(): Promise<string> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.#server = server;
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    this.url = `ws://127.0.0.1:${typeof address === 'string' ? 0 : address.port}/link/?ticket=test`;
    server.on('connection', (socket: WebSocket) => {
      this.#socket = socket;
      socket.on('message', (data: Buffer) => {
        const ack = JSON.parse(String(data)) as Record<string, unknown>;
        const id = typeof ack.envelope_id === 'string' ? ack.envelope_id : '';
        this.#acks.get(id)?.(ack);
        this.#acks.delete(id);
      });
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake-slack-socket', approximate_connection_time: 3600 },
          connection_info: { app_id: 'A0HAYON' },
        }),
      );
      this.#connected?.();
    });
    return this.url;
  }

  /** Sends an envelope (`slash_commands`, `interactive`, `events_api`) and resolves with the client's ack. */
  send(type: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const socket = this.#socket;
    if (!socket) throw new Error('no Socket Mode client is connected');
    const envelopeId = randomUUID();
    const acked = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${type} within 3 s`)), 3000);
      this.#acks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    socket.send(
      JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true, retry_attempt: 0 }),
    );
    return acked;
  }

  async stop(): Promise<void> {
    for (const client of this.#server?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}
