import { PlatformError } from '../core/errors.js';
import { platformNames } from '../core/platform-names.js';
import type { PlatformId } from '../core/post.js';

/**
 * Rejects when `work` takes longer than `ms`. For the scheduler's and sweeper's passes: a call
 * that never answers (a broker that went away mid-handshake) must not stop them for good. The
 * work itself goes on in the background; whatever it did is safe to do again.
 */
export async function timeBound<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One attempt at a platform under a deadline: `work` gets a signal that aborts after `ms`, and
 * when it has not settled by then (a server that neither answers nor hangs up, an adapter or a
 * media read that does not heed the signal) the attempt ends as transient, to be retried. What
 * `work` still does in the background is ignored: the next attempt uses the same keys and
 * reconciles, so a post the platform made late is found, not made twice.
 */
export async function withinDeadline<T>(
  ms: number,
  platform: PlatformId,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = Math.round(ms / 100) / 10;
      const message = `${platformNames[platform]} did not answer within the attempt's deadline (${seconds} s); hayon tries again.`;
      const err = new PlatformError('transient', message, { platform });
      reject(err);
      ac.abort(err);
    }, ms);
  });
  const running = work(ac.signal);
  running.catch(() => {});
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
