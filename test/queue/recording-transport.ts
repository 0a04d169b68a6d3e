import type { QueueAdmin, Transport, TransportMessage } from '../../src/queue/transport.js';

/**
 * For tests: a transport that records what it is sent and reports a backlog the test sets. While
 * `refusals` is above zero, a send fails (as when the broker is away) and counts it down.
 */
export class RecordingTransport implements Transport {
  readonly maxDelayMs = 0;
  sent: TransportMessage[] = [];
  waiting = 0;
  refusals = 0;
  sendCalls = 0;
  readonly admin: QueueAdmin = {
    counts: async () => ({ main: this.waiting }),
    backlog: async () => this.waiting,
    replayParked: async () => ({ replayed: 0, dropped: 0 }),
  };
  async send(messages: TransportMessage[]): Promise<void> {
    this.sendCalls++;
    if (this.refusals > 0) {
      this.refusals--;
      throw new Error('broker unreachable (RecordingTransport)');
    }
    this.sent.push(...messages);
  }
  async consume(): Promise<never> {
    throw new Error('not used');
  }
  async close(): Promise<void> {}
}
