import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Actor, ConnectState } from '../../core/connect.js';
import { HayonError } from '../../core/errors.js';
import { deriveKey, hmacSha256, safeEqual } from '../../core/hmac.js';
import type { PlatformId } from '../../core/post.js';
import type { ConnectStore } from '../../store/ports/connect-store.js';

/** How long a connect link (and the flow it starts) lasts. */
export const connectLinkTtlMs = 15 * 60_000;

const refuse = (message: string) => new HayonError('forbidden', message, { field: 'state', userMessage: message });

/**
 * The `state` of a connect flow: `<id>.<hmac>`. The HMAC (a key derived from HAYON_SECRET_KEY)
 * refuses a forged or altered state without a store lookup; the id names the flow in the store,
 * where it is used once (`take` removes it) and expires after 15 minutes. What the flow keeps
 * (a PKCE verifier) stays in the store, never in the URL.
 */
export class ConnectStates {
  readonly #key: Buffer;

  constructor(
    private readonly store: ConnectStore,
    secretKey: Buffer,
    private readonly clock: Clock,
  ) {
    this.#key = deriveKey(secretKey, 'hayon connect state v1');
  }

  async mint(
    workspaceId: string,
    platform: PlatformId,
    actor: Actor,
    data: Record<string, unknown> = {},
    ttlMs: number = connectLinkTtlMs,
  ): Promise<{ token: string; state: ConnectState }> {
    const now = this.clock();
    const state: ConnectState = {
      id: randomBytes(18).toString('base64url'),
      workspaceId,
      platform,
      actor,
      data,
      createdAt: now,
      expiresAt: now + ttlMs,
    };
    await this.store.putConnectState(state);
    return { token: `${state.id}.${this.#sign(state.id)}`, state };
  }

  /** The flow a state names, left in place (the start page, before the provider). */
  async load(token: string | undefined, platform: string): Promise<ConnectState> {
    const id = this.#check(token);
    return this.#live(await this.store.getConnectState(id), platform);
  }

  /** The flow a state names, removed: a second use of the same state is refused. */
  async take(token: string | undefined, platform: string): Promise<ConnectState> {
    const id = this.#check(token);
    return this.#live(await this.store.takeConnectState(id), platform);
  }

  update(state: ConnectState, data: Record<string, unknown>): Promise<boolean> {
    return this.store.updateConnectState(state.id, data);
  }

  #sign(id: string): string {
    return hmacSha256(this.#key, id).toString('base64url');
  }

  #check(token: string | undefined): string {
    const [id, mac] = (token ?? '').split('.');
    if (!id || !mac) throw refuse('This link has no valid state: ask hayon for a new connect link.');
    if (!safeEqual(mac, this.#sign(id))) {
      throw refuse('This link was not made by hayon: ask hayon for a new connect link.');
    }
    return id;
  }

  #live(state: ConnectState | null, platform: string): ConnectState {
    if (!state) throw refuse('This link was already used or has expired: ask hayon for a new connect link.');
    if (state.expiresAt < this.clock()) throw refuse('This link has expired: ask hayon for a new connect link.');
    if (state.platform !== platform) throw refuse(`This link is for ${state.platform}, not ${platform}.`);
    return state;
  }
}
