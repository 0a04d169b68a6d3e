/**
 * Opening, closing and probing a store: what the wiring and the readiness check use, and nothing
 * about its data.
 */
export interface StoreLifecycle {
  /** Creates tables/indexes as needed. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Throws if the store cannot serve a query now (readiness). */
  ping(): Promise<void>;
}
