import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { newId } from '../../core/ids.js';
import { type ApiScope, type ApiToken, apiScopes, isApiScope } from '../../core/post.js';
import type { TokenStore } from '../../store/ports/token-store.js';

const prefix = 'hyn_';

/** What `hayon tokens create` gives a token unless told otherwise: posting and reading, not accounts. */
export const defaultScopes: readonly ApiScope[] = ['posts:write', 'posts:read'];

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * `posts:write,posts:read` → the scopes, in their canonical order, each once. Throws a sentence
 * naming the unknown scope and the known ones.
 */
export function parseScopes(value: string): ApiScope[] {
  const given = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = given.find((s) => !isApiScope(s));
  if (unknown !== undefined) throw new Error(`unknown scope "${unknown}": the scopes are ${apiScopes.join(', ')}`);
  if (given.length === 0) throw new Error(`no scope given: the scopes are ${apiScopes.join(', ')}`);
  return apiScopes.filter((s) => given.includes(s));
}

/** Creates an API token for a workspace; the secret is returned once and only its hash is kept. */
export async function createApiToken(
  store: Pick<TokenStore, 'createApiToken'>,
  workspaceId: string,
  name: string,
  clock: Clock,
  scopes: readonly ApiScope[] = defaultScopes,
): Promise<{ token: string; record: ApiToken }> {
  const token = `${prefix}${randomBytes(24).toString('base64url')}`;
  const record: ApiToken = {
    id: newId('tok'),
    workspaceId,
    name,
    hash: hashToken(token),
    scopes: apiScopes.filter((s) => scopes.includes(s)),
    createdAt: clock(),
  };
  await store.createApiToken(record);
  return { token, record };
}

/**
 * The token record for a presented secret, or null (unknown, malformed or revoked). Lookup by
 * hash: nothing to compare in time.
 */
export async function authenticateToken(
  store: Pick<TokenStore, 'findApiTokenByHash'>,
  token: string,
): Promise<ApiToken | null> {
  if (!token.startsWith(prefix) || token.length > 200) return null;
  const found = await store.findApiTokenByHash(hashToken(token));
  return found && found.revokedAt === undefined ? found : null;
}
