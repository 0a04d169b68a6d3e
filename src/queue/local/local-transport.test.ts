import { defineTransportContract } from '../../../test/queue/transport.contract.js';
import { LocalTransport } from './local-transport.js';

// The local transport carries no delays (maxDelayMs 0): retries wait in the store's scheduler.
defineTransportContract('local', async () => {
  const transport = new LocalTransport();
  return { transport, cleanup: () => transport.close() };
});
