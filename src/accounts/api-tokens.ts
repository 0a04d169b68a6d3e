import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { ApiToken } from '../core/post.js';
import type { Store } from '../store/store.js';

const prefix = 'hyn_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates an API token for a workspace; the secret is returned once and only its hash is kept. */
export async function createApiToken(
  store: Store,
  workspaceId: string,
  name: string,
  clock: Clock,
): Promise<{ token: string; record: ApiToken }> {
  const token = `${prefix}${randomBytes(24).toString('base64url')}`;
  const record: ApiToken = { id: newId('tok'), workspaceId, name, hash: hashToken(token), createdAt: clock() };
  await store.createApiToken(record);
  return { token, record };
}

/** The token record for a presented secret, or null. Lookup by hash: nothing to compare in time. */
export async function authenticateToken(store: Store, token: string): Promise<ApiToken | null> {
  if (!token.startsWith(prefix) || token.length > 200) return null;
  return store.findApiTokenByHash(hashToken(token));
}
