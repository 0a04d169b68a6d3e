/** The part of `ws` 8 (installed with @slack/socket-mode) that the fake Socket Mode server uses. */
declare module 'ws' {
  import type { EventEmitter } from 'node:events';
  export class WebSocket extends EventEmitter {
    send(data: string): void;
    close(): void;
    terminate(): void;
    readonly readyState: number;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(options: { host?: string; port?: number });
    address(): { port: number } | string;
    close(callback?: () => void): void;
    readonly clients: Set<WebSocket>;
  }
}
