import type { ConnectState, OAuthApp } from '../../core/connect.js';

/**
 * Connecting accounts (OAuth): the short-lived state of each flow in progress, and the OAuth
 * clients hayon registered with servers that hand them out on demand (Mastodon instances).
 */
export interface ConnectStore {
  /** Stores a new flow; flows past their expiry are removed on the way. */
  putConnectState(state: ConnectState): Promise<void>;
  getConnectState(id: string): Promise<ConnectState | null>;
  /** Merges `data` into a flow's; false when there is no such flow. */
  updateConnectState(id: string, data: Record<string, unknown>): Promise<boolean>;
  /** Removes a flow and returns it, atomically: of two callers, one gets it (single use). */
  takeConnectState(id: string): Promise<ConnectState | null>;
  getOAuthApp(key: string): Promise<OAuthApp | null>;
  /** Stores a registered client unless one with its key exists; returns the one stored. */
  putOAuthApp(app: OAuthApp): Promise<OAuthApp>;
  /** Every registered client (`hayon secrets rotate` re-seals their secrets). */
  listOAuthApps(): Promise<OAuthApp[]>;
  /** Replaces a client's sealed secret while it is still `ifCurrent`; false otherwise. */
  resealOAuthApp(key: string, clientSecret: string, ifCurrent: string): Promise<boolean>;
}
