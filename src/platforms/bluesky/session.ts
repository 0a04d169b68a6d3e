import { AtpAgent } from '@atproto/api';
import { deadline } from '../../core/deadline.js';
import type { PlatformDeps, PublishInput } from '../platform.js';
import type { BlueskyCredentials, BlueskySession } from './credentials.js';
import { isSessionError, type Route, rethrow, routes } from './errors.js';

/** An agent whose every HTTP call uses the injected fetch, the operation's signal and a timeout. */
export function createAgent(deps: PlatformDeps, service: string, signal: AbortSignal): AtpAgent {
  const boundFetch: typeof fetch = (input, init) => {
    const callSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const parents = callSignal ? [signal, callSignal] : [signal];
    return deps.fetch(input, { ...init, signal: deadline(parents, deps.timeoutMs) });
  };
  return new AtpAgent({ service, fetch: boundFetch });
}

/**
 * One account's session for one operation (a publish, a reconcile). It never logs in per post:
 * it starts from the stored session, lets the agent refresh an expired access token, refreshes
 * itself when the PDS calls the token invalid, and logs in with the app password only when the
 * refresh token is dead too. Whenever the session changed, the credentials are saved at once,
 * because a refresh rotates the refresh token and the old one stops working.
 */
export class AccountSession {
  readonly agent: AtpAgent;
  private saved: BlueskySession | undefined;
  private resumed = false;

  constructor(
    deps: PlatformDeps,
    private readonly raw: Record<string, unknown>,
    private readonly credentials: BlueskyCredentials,
    signal: AbortSignal,
    private readonly save: PublishInput['saveCredentials'],
  ) {
    this.agent = createAgent(deps, credentials.service, signal);
    this.saved = credentials.session;
  }

  /** The DID and handle of the logged-in account (after the first {@link call}). */
  get account(): { did: string; handle: string } {
    const s = this.agent.session;
    if (!s) throw new Error('no Bluesky session yet');
    return { did: s.did, handle: s.handle };
  }

  /**
   * Runs `fn` with a live session; on a session error it refreshes (or logs in) and runs `fn`
   * once more. Throws PlatformError, named after `at`.
   */
  async call<T>(at: Route, fn: (agent: AtpAgent) => Promise<T>): Promise<T> {
    try {
      await this.ensureSession();
      try {
        return await fn(this.agent);
      } catch (e) {
        if (!isSessionError(e)) throw e;
        await this.reauthenticate();
        return await fn(this.agent);
      }
    } catch (e) {
      rethrow(e, at);
    } finally {
      await this.persist();
    }
  }

  private async ensureSession(): Promise<void> {
    if (this.agent.session) return;
    const stored = this.credentials.session;
    if (stored && !this.resumed) {
      this.resumed = true;
      // Set directly rather than with resumeSession(), which refreshes on every call: that would
      // cost a request and a token rotation (and a credentials write) per post.
      this.agent.sessionManager.session = { ...stored, active: true };
      return;
    }
    await this.login();
  }

  /** Refresh first; log in again only when the refresh token is not accepted either. */
  private async reauthenticate(): Promise<void> {
    if (this.agent.session) {
      try {
        await this.agent.sessionManager.refreshSession();
        return;
      } catch (e) {
        if (!isSessionError(e)) rethrow(e, routes.refreshSession);
      }
    }
    await this.login();
  }

  private async login(): Promise<void> {
    try {
      await this.agent.login({ identifier: this.credentials.identifier, password: this.credentials.appPassword });
    } catch (e) {
      rethrow(e, routes.createSession);
    }
  }

  /** Saves the credentials when the agent holds tokens other than the saved ones. */
  private async persist(): Promise<void> {
    const s = this.agent.session;
    if (!s || (s.accessJwt === this.saved?.accessJwt && s.refreshJwt === this.saved.refreshJwt)) return;
    const session: BlueskySession = { did: s.did, handle: s.handle, accessJwt: s.accessJwt, refreshJwt: s.refreshJwt };
    await this.save({ ...this.raw, session });
    this.saved = session;
  }
}
