import type { ApiToken } from '../../core/post.js';

/**
 * A workspace's API tokens. Only the SHA-256 hex of a token's secret is stored; a request's
 * bearer token is looked up by that hash.
 */
export interface TokenStore {
  createApiToken(token: ApiToken): Promise<void>;
  /** Finds a token by the SHA-256 hex of its secret. */
  findApiTokenByHash(hash: string): Promise<ApiToken | null>;
  touchApiToken(id: string, at: number): Promise<void>;
  /** A workspace's tokens, oldest first, revoked ones included (for `hayon tokens list`). */
  listApiTokens(workspaceId: string): Promise<ApiToken[]>;
  /**
   * Marks a token revoked at `at` (a second revoke keeps the first time). False when there is
   * no such token.
   */
  revokeApiToken(id: string, at: number): Promise<boolean>;
}
