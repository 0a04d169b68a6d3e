import type { Actor } from '../../core/audit.js';
import type { Clock } from '../../core/clock.js';
import type { ApiScope, ApiToken } from '../../core/post.js';
import type { TokenStore } from '../../store/ports/token-store.js';
import type { AuditLog } from '../audit-log.js';
import type { WorkspacesService } from '../workspaces-service.js';
import { authenticateToken, createApiToken, defaultScopes } from './api-tokens.js';

export interface TokensServiceDeps {
  store: TokenStore;
  workspaces: Pick<WorkspacesService, 'ensure'>;
  clock: Clock;
  /** Records who created and revoked each token (never fails the action). */
  audit: Pick<AuditLog, 'record'>;
  /** Record a token's last use at most this often (a write per request would be wasted); default 60 s. */
  touchEveryMs?: number;
}

/** API tokens: made (`hayon tokens create`), listed, revoked, and checked on each API request. */
export class TokensService {
  constructor(private readonly deps: TokensServiceDeps) {}

  /** A new token for the workspace (made on first use); the secret is returned once, only its hash is kept. */
  async create(
    workspaceId: string,
    name: string,
    actor: Actor,
    scopes: readonly ApiScope[] = defaultScopes,
  ): Promise<{ token: string; record: ApiToken }> {
    await this.deps.workspaces.ensure(workspaceId);
    const made = await createApiToken(this.deps.store, workspaceId, name, this.deps.clock, scopes);
    const details = { name, scopes: made.record.scopes.join(',') };
    await this.deps.audit.record({ workspaceId, actor, action: 'token.created', target: made.record.id, details });
    return made;
  }

  /** A workspace's tokens, oldest first, revoked ones included. */
  list(workspaceId: string): Promise<ApiToken[]> {
    return this.deps.store.listApiTokens(workspaceId);
  }

  /**
   * Revokes the workspace's token `id` (a second revoke changes nothing and records nothing).
   * The token as it was before, or null when the workspace has no such token.
   */
  async revoke(workspaceId: string, id: string, actor: Actor): Promise<ApiToken | null> {
    const token = (await this.list(workspaceId)).find((t) => t.id === id);
    if (!token) return null;
    if (token.revokedAt === undefined) {
      await this.deps.store.revokeApiToken(id, this.deps.clock());
      await this.deps.audit.record({ workspaceId, actor, action: 'token.revoked', target: id });
    }
    return token;
  }

  /**
   * The token a request presents (`Authorization: Bearer hyn_…`), or null when it is unknown,
   * malformed or revoked. Its last use is recorded, at most once per `touchEveryMs`.
   */
  async authenticate(secret: string): Promise<ApiToken | null> {
    const token = await authenticateToken(this.deps.store, secret);
    if (!token) return null;
    const now = this.deps.clock();
    const touchEveryMs = this.deps.touchEveryMs ?? 60_000;
    if (!token.lastUsedAt || now - token.lastUsedAt > touchEveryMs) await this.deps.store.touchApiToken(token.id, now);
    return token;
  }
}
