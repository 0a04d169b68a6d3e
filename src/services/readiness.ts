import type { StoreLifecycle } from '../store/ports/store-lifecycle.js';

/** Whether this process can serve requests that need the store (`GET /readyz`). */
export class Readiness {
  constructor(private readonly deps: { store: Pick<StoreLifecycle, 'ping'> }) {}

  /** True when the store answers now; false (never a throw) when it cannot be reached. */
  async ready(): Promise<boolean> {
    try {
      await this.deps.store.ping();
      return true;
    } catch {
      return false;
    }
  }
}
