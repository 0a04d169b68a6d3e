import type { Logger } from '../logger.js';
import type { SendOptions, Transport, TransportMessage } from './transport.js';

export interface PatientSendOptions {
  /** How long a refused send is tried again before the error is thrown (the sweeper then resends). */
  retryMs: number;
  /** True once the caller is stopping: a refused send then gives up at once. */
  stopping: () => boolean;
  log: Logger;
  send?: SendOptions;
}

/**
 * Sends the messages of deliveries the store already shows as `queued`, built by `build` (which
 * may read the store). A transport refuses a send at once while its broker is away (RabbitMQ
 * reconnecting), and a store read may fail; either is tried again with a growing pause (100 ms
 * to 1 s) for `retryMs`, so a broker restart delays these deliveries by seconds instead of
 * leaving them to the sweeper's `strandedAfterMs`.
 */
export async function sendPatiently(
  transport: Transport,
  build: () => Promise<TransportMessage[]>,
  options: PatientSendOptions,
): Promise<void> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const messages = await build();
      await transport.send(messages, options.send);
      if (attempt > 0) options.log.info({ messages: messages.length, attempts: attempt + 1 }, 'queued deliveries sent');
      return;
    } catch (err) {
      const pause = Math.min(100 * 2 ** attempt, 1_000);
      if (options.stopping() || performance.now() - started + pause > options.retryMs) throw err;
      if (attempt === 0) options.log.warn({ err }, 'sending queued deliveries failed; trying again');
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
