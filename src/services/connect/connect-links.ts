import type { Actor } from '../../core/connect.js';
import { HayonError } from '../../core/errors.js';
import { isPlatformId, type PlatformId } from '../../core/post.js';
import type { ConnectStates } from './connect-states.js';

/** What makes connect links: the CLI, a chat command, an alert's reconnect link. */
export type ConnectLinkMaker = Pick<ConnectLinks, 'platforms' | 'link'>;

/** The refusal for a platform hayon has no connect flow for, naming those it has. */
export function noConnectFlow(platform: string, platforms: readonly PlatformId[]): HayonError {
  return new HayonError('not_found', 'no connect flow', {
    field: 'platform',
    userMessage: `hayon has no connect flow for "${platform}" (it has: ${platforms.join(', ')}).`,
  });
}

/**
 * Connect links alone: a single-use state in the store and the start URL on `publicUrl`. The
 * flows themselves (the providers behind `/connect/…`) run only in `hayon serve`; a worker and
 * the CLI need just the list of platforms that have one.
 */
export class ConnectLinks {
  constructor(private readonly deps: { states: ConnectStates; publicUrl: string; platforms: readonly PlatformId[] }) {}

  platforms(): PlatformId[] {
    return [...this.deps.platforms];
  }

  /**
   * A start link for `platform`, used once, valid 15 minutes (or `ttlMs`: a reconnect link in an
   * alert lasts as long as deliveries wait). `data` seeds the flow (a Mastodon instance).
   */
  async link(
    workspaceId: string,
    platform: string,
    actor: Actor,
    data: Record<string, unknown> = {},
    ttlMs?: number,
  ): Promise<{ url: string; expiresAt: number }> {
    if (!isPlatformId(platform) || !this.deps.platforms.includes(platform)) {
      throw noConnectFlow(platform, this.deps.platforms);
    }
    const { token, state } = await this.deps.states.mint(workspaceId, platform, actor, data, ttlMs);
    const query = new URLSearchParams({ workspace: workspaceId, state: token });
    return { url: `${this.deps.publicUrl}/connect/${platform}/start?${query}`, expiresAt: state.expiresAt };
  }
}
