import { createRestAPIClient, type mastodon } from 'masto';
import { deadline } from '../../core/deadline.js';
import type { CallSite } from '../http.js';
import { toPlatformError } from './errors.js';

export type MastoClient = mastodon.rest.Client;
export type MastodonStatus = mastodon.v1.Status;

export const site = (method: CallSite['method'], route: string): CallSite => ({ platform: 'mastodon', method, route });

/**
 * One instance, reached through masto's REST client (`createRestAPIClient`) at its URL, with the
 * account's token (or none: instance metadata is public, and a bad token must not hide it).
 *
 * Every call has two bounds: masto's own `timeout`, and a deadline (`deadline()`) that follows the
 * caller's signal (the worker's) and runs out after `timeoutMs`; masto combines both into the
 * fetch's signal. As masto combines them with `AbortSignal.any`, which Node 20 holds only weakly
 * (see deadline.ts), the call's promise is also raced against the deadline here: whatever becomes
 * of that combined signal, a call ends by then (an abandoned request is left to its socket).
 */
export class MastodonApi {
  constructor(
    readonly instanceUrl: string,
    private readonly accessToken: string | undefined,
    private readonly timeoutMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Runs `work` with a client bounded as above; any failure comes back as a PlatformError of its kind. */
  async call<T>(at: CallSite, signal: AbortSignal, work: (client: MastoClient) => PromiseLike<T>): Promise<T> {
    const bound = deadline([signal], this.timeoutMs);
    const client = createRestAPIClient({
      url: this.instanceUrl,
      ...(this.accessToken ? { accessToken: this.accessToken } : {}),
      timeout: this.timeoutMs,
      requestInit: { signal: bound },
      log: 'error',
    });
    try {
      return await within(bound, Promise.resolve(work(client)));
    } catch (e) {
      throw toPlatformError(e, at, this.clock(), bound.aborted);
    }
  }
}

/** `work`'s outcome, or a rejection as soon as `signal` aborts, whichever comes first. */
export function within<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
