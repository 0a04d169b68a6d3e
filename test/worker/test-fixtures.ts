import { RecordingTransport } from '../queue/recording-transport.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/** For the scheduler's and the sweeper's tests: an in-memory SQLite store, initialised, and a RecordingTransport. */
export async function memoryStoreAndTransport(): Promise<{ store: SqliteStore; transport: RecordingTransport }> {
  const store = new SqliteStore({ path: ':memory:' });
  await store.init();
  return { store, transport: new RecordingTransport() };
}
