import type { Clock } from '../../core/clock.js';
import type { Callback, CallbackOutcome } from '../../core/hook.js';
import { signHayon } from '../../core/hooks/signature.js';
import type { Logger } from '../../logger.js';
import type { CallbackStore } from '../../store/ports/callback-store.js';
import { type CallbackAnswer, type PostCallbackOptions, postCallback } from './post-callback.js';
import type { SigningSecrets } from '../../services/signing-secrets.js';
import { OutboxSender } from '../outbox-loop.js';

export interface CallbackSenderOptions {
  /** How often the outbox is looked at when nothing woke the sender. */
  pollMs: number;
  /** How long a taken callback is ours; a sender that dies loses it to another after this. */
  leaseMs: number;
  /** How long the receiver may take to answer. */
  timeoutMs: number;
  /** The wait after the 1st, 2nd, … failed attempt; the last one repeats. */
  retryDelaysMs: readonly number[];
  /** Attempts stop this long after the event. */
  giveUpAfterMs: number;
  /** Callbacks sent at once. */
  concurrency: number;
}

export const defaultCallbackSenderOptions = {
  pollMs: 5_000,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  retryDelaysMs: [10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000],
  giveUpAfterMs: 24 * 3_600_000,
  concurrency: 4,
} satisfies Required<CallbackSenderOptions>;

export interface CallbackSenderDeps {
  store: CallbackStore;
  clock: Clock;
  log: Logger;
  secrets: SigningSecrets;
  allowHosts?: readonly string[];
  /** Replaces the POST (tests). */
  post?: (
    url: string,
    body: string,
    headers: Record<string, string>,
    options: PostCallbackOptions,
  ) => Promise<CallbackAnswer>;
}

/**
 * Sends the outbox: takes due callbacks (atomically, so several processes can run a sender),
 * POSTs each signed with `X-Hayon-Signature`, and records the answer. A 2xx is sent; 410 Gone,
 * a URL that now points to a private network, or 24 hours of failures is failed for good;
 * anything else is tried again with backoff.
 */
export class CallbackSender extends OutboxSender<Callback> {
  readonly #options: CallbackSenderOptions;

  constructor(
    private readonly deps: CallbackSenderDeps,
    options: Partial<CallbackSenderOptions> = {},
  ) {
    const merged = { ...defaultCallbackSenderOptions, ...options };
    const { store } = deps;
    super(
      {
        clock: deps.clock,
        log: deps.log,
        name: 'callback',
        take: (now, leaseUntil, limit) => store.takeDueCallbacks(now, leaseUntil, limit),
        nextDueAt: () => store.nextCallbackDueAt(),
      },
      merged,
    );
    this.#options = merged;
  }

  protected async send(callback: Callback): Promise<void> {
    const { store, clock, log, secrets } = this.deps;
    const host = safeHost(callback.url);
    const where = {
      callbackId: callback.id,
      postId: callback.postId,
      correlationId: correlationOf(callback.body),
      host,
      attempt: callback.attempts,
    };
    let outcome: CallbackOutcome;
    try {
      const signWith = await secrets.forCallback(callback);
      if (signWith === null) {
        outcome = { kind: 'failed', error: 'The hook that signs this callback was deleted.' };
      } else {
        const headers = {
          'x-hayon-signature': signHayon(signWith, callback.body, Math.floor(clock() / 1000)),
          'x-hayon-event-id': callback.id,
          'user-agent': 'hayon-callback',
        };
        const send = this.deps.post ?? postCallback;
        const answer = await send(callback.url, callback.body, headers, {
          timeoutMs: this.#options.timeoutMs,
          ...(this.deps.allowHosts ? { allowHosts: this.deps.allowHosts } : {}),
        });
        outcome = this.#decide(callback, answer);
      }
    } catch (err) {
      log.warn({ err, ...where }, 'callback attempt failed');
      outcome = this.#retryOrGiveUp(callback, 'hayon could not send it.');
    }
    await this.recordOutcome(() => store.finishCallback(callback.id, outcome, clock()));
    if (outcome.kind === 'sent') log.info(where, 'callback sent');
    else log.warn({ ...where, outcome: outcome.kind, error: outcome.error }, 'callback not accepted');
  }

  #decide(callback: Callback, answer: CallbackAnswer): CallbackOutcome {
    if (answer.kind === 'refused') return { kind: 'failed', error: answer.message };
    if (answer.kind === 'unreachable') return this.#retryOrGiveUp(callback, answer.message);
    if (answer.status >= 200 && answer.status < 300) return { kind: 'sent' };
    if (answer.status === 410) return { kind: 'failed', error: 'The receiver answered 410 Gone.' };
    return this.#retryOrGiveUp(callback, `The receiver answered ${answer.status}.`);
  }

  #retryOrGiveUp(callback: Callback, error: string): CallbackOutcome {
    const delays = this.#options.retryDelaysMs;
    const base = delays[Math.min(callback.attempts - 1, delays.length - 1)] ?? 60_000;
    const dueAt = this.deps.clock() + Math.round(base * (0.9 + Math.random() * 0.2));
    if (dueAt - callback.createdAt > this.#options.giveUpAfterMs) {
      return { kind: 'failed', error: `${error} Gave up after ${callback.attempts} attempts.` };
    }
    return { kind: 'retry', dueAt, error };
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}

/** The post's correlation id from an event's body, for the log; undefined if it has none. */
function correlationOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { correlationId?: unknown }).correlationId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
