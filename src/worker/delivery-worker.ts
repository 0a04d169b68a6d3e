import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountHealthService } from '../services/accounts/account-health.js';
import type { MetricsSink } from '../observability/metrics.js';
import type { CredentialBox } from '../crypto/credential-box.js';
import { platformNames } from '../core/platform-names.js';
import type { Clock } from '../core/clock.js';
import type { AttemptRecord } from '../core/history.js';
import { PlatformError } from '../core/errors.js';
import { patiently } from '../core/patiently.js';
import type { Notifier } from '../notify/notifier.js';
import type { Delivery, DeliveryError, PlatformId } from '../core/post.js';
import { decideRetry, type RetryPolicy } from '../core/retry-policy.js';
import type { Logger } from '../logger.js';
import type { MediaLoader, Platform } from '../platforms/platform.js';
import { sendPatiently } from '../queue/send-patiently.js';
import type { Consumer, Transport, TransportMessage } from '../queue/transport.js';
import type { AccountStore } from '../store/ports/account-store.js';
import type { AttemptOutcome, Claim, DeliveryStore } from '../store/ports/delivery-store.js';
import type { PostStore } from '../store/ports/post-store.js';
import type { Pacer } from './pacer.js';
import { attemptRecord, holdsOutcome, toDeliveryError } from './outcomes.js';
import { deliveryMessage } from './messages.js';
import { notifyFinished, notifyPatiently } from './notify-patiently.js';
import { type Attempt, type PublishDeps, publishAttempt } from './publish-attempt.js';
import { withinDeadline } from './time-bound.js';
/** The longest a worker waits on a message sent ahead of its due time (the scheduler's lead is 250 ms). */
const maxEarlyMs = 2_000;
/** How long a claimed delivery waits for its post to be stored before it fails (see #load). */
const postWaitMs = 60_000;
export interface DeliveryWorkerDeps {
  /** The claim, lease and outcome of each attempt, its post and account, and its history record. */
  store: DeliveryStore & PostStore & AccountStore;
  transport: Transport;
  platforms: Partial<Record<PlatformId, Platform>>;
  box: CredentialBox;
  notifier: Notifier;
  loadMedia: MediaLoader;
  /** The attachments in the version that fits a platform, with URLs it can fetch. */
  media?: PublishDeps['media'];
  clock: Clock;
  log: Logger;
  /** Told when a retry waits in the store, so an in-process scheduler can set its timer. */
  onScheduled?: (at: number) => void;
  /**
   * Accounts that stop working: marked and announced once; their deliveries wait for a
   * reconnect (up to the grace period) instead of failing. Without it, an auth error fails.
   */
  health?: AccountHealthService | undefined;
  /** Attempt outcomes, durations and lateness (`GET /metrics`). */
  metrics?: Pick<MetricsSink, 'attempt'> | undefined;
  /** Keeps each account under its platform's write limits; without it, nothing is paced. */
  pacer?: Pacer | undefined;
}

export interface DeliveryWorkerOptions {
  /** Names this worker's leases; unique per process. */
  owner: string;
  concurrency: number;
  leaseMs: number;
  retry: RetryPolicy;
}

/**
 * consume → claim → resolve content → publish → record → notify. One message is one attempt at
 * one delivery; the store's claim decides whether the attempt happens at all, so duplicate or
 * stale messages are dropped there. A failure of one delivery never touches the post's others.
 */
export class DeliveryWorker {
  #consumer: Consumer | undefined;
  #stopping = false;

  constructor(
    private readonly deps: DeliveryWorkerDeps,
    private readonly options: DeliveryWorkerOptions,
  ) {}

  async start(): Promise<void> {
    this.#stopping = false;
    this.#consumer = await this.deps.transport.consume((m) => this.handle(m), {
      concurrency: this.options.concurrency,
    });
  }

  /** Pauses intake and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#consumer?.stop();
    this.#consumer = undefined;
  }

  async handle(message: TransportMessage): Promise<void> {
    const { store, clock, log } = this.deps;
    // Sent ahead of its due time (Scheduler leadMs): wait until due, again if a timer fired early.
    const until = Math.min(message.notBefore ?? 0, clock() + maxEarlyMs);
    for (let left = until - clock(); left > 0; left = until - clock()) await sleep(left);
    const now = clock();
    const claim = await store
      .claim(message.deliveryId, this.options.owner, now, now + this.options.leaseMs)
      .catch((err: unknown) => this.#giveBack(message.deliveryId, err, log)); // applied, its answer lost?
    if (!claim) return notifyFinished(this.deps, message, { retryMs: 30_000, stopping: () => this.#stopping, log });
    const dlog = log.child({
      postId: message.postId,
      deliveryId: message.deliveryId,
      platform: message.platform,
      correlationId: message.correlationId,
    });
    const attempt = await this.#load(claim.delivery, dlog);
    if (!attempt) return;
    if (attempt.account.health !== 'active' && this.deps.health) {
      // Known not to work: no call to the platform, the delivery waits for a reconnect.
      await this.#waitForReconnect(attempt, attempt.account.healthReason ?? attempt.account.health, dlog);
      return;
    }
    const stopRenewing = this.#renewLease(claim.delivery.id);
    try {
      if (await this.#pace(attempt, claim.from, dlog)) return;
      const uncertain = claim.from === 'unknown';
      const publish = (signal: AbortSignal) =>
        publishAttempt(this.deps, this.options.owner, attempt, uncertain, signal);
      const result = await withinDeadline(this.options.leaseMs, attempt.delivery.platform, publish);
      await this.#record(attempt, { kind: 'published', result, at: clock() }, dlog);
    } catch (e) {
      await this.#fail(attempt, e, dlog);
    } finally {
      stopRenewing();
    }
  }

  async #load(delivery: Delivery, log: Logger): Promise<Attempt | null> {
    const { store } = this.deps;
    const read = await store
      .getPostAndAccount(delivery.postId, delivery.accountId)
      .catch((err: unknown) => this.#giveBack(delivery.id, err, log));
    if (!read) return null;
    const { post, account } = read;
    if (!post && this.deps.clock() - delivery.createdAt < postWaitMs) {
      // Its post may not be stored yet: a store writes the deliveries first (see MongoStore's
      // createPost). Back in a moment; a post still missing after a minute never will be.
      log.info('its post is not stored yet; the delivery is given back for a second');
      return this.#putBack(delivery.id, 1_000, 'Its post was not stored yet.');
    }
    const platform = this.deps.platforms[delivery.platform];
    const missing = !post ? 'post' : !account ? 'account' : !platform ? 'platform adapter' : undefined;
    if (missing || !post || !account || !platform) {
      const message = post ? `The ${missing} is gone.` : 'Its post was never stored (the request that made it failed).';
      const error: DeliveryError = { kind: 'invalid', message, at: this.deps.clock() };
      await store.finishAttempt(delivery.id, this.options.owner, { kind: 'failed', error }, this.deps.clock());
      log.error({ missing }, 'delivery failed: missing');
      return null;
    }
    return { post, delivery, account, platform, startedAt: this.deps.clock() };
  }

  /**
   * A store call failed after the claim, or may have claimed without our knowing. Nothing went
   * out yet: the delivery, if ours (`publishing` under our lease: the update is conditional on
   * it), goes back to `scheduled` in 5 s with its attempt refunded, rather than wait for its lease
   * to run out. When the store is away this fails too, and the lease is the fallback.
   */
  async #giveBack(id: string, err: unknown, log: Logger): Promise<null> {
    log.warn({ err, deliveryId: id }, 'store call failed after the claim; the delivery is given back');
    return this.#putBack(id, 5_000, 'The store did not answer.');
  }

  /** Our claimed delivery back to `scheduled` in `inMs`, its attempt refunded. */
  async #putBack(id: string, inMs: number, message: string): Promise<null> {
    const { store, clock } = this.deps;
    const error: DeliveryError = { kind: 'internal', message, at: clock() };
    const back = { kind: 'retry', state: 'scheduled', dueAt: clock() + inMs, error, refundAttempt: true } as const;
    if (await store.finishAttempt(id, this.options.owner, back, clock()).catch(() => false))
      this.deps.onScheduled?.(back.dueAt);
    return null;
  }

  /**
   * Spends the attempt's cost under the account's write limits (shared by every worker through
   * the store). When it does not fit, the delivery is held back until it does, without using an
   * attempt, and the thread hears when it goes out: true then. An `unknown` attempt's cost was
   * counted by the attempt that may have published it.
   */
  async #pace(attempt: Attempt, from: Claim['from'], log: Logger): Promise<boolean> {
    const { pacer, clock } = this.deps;
    if (!pacer || from === 'unknown') return false;
    const refused = await pacer.admit(attempt.post, attempt.delivery, attempt.account, clock);
    if (!refused) return false;
    const error: DeliveryError = { kind: 'rate_limited', message: refused.message, at: clock() };
    if (refused.until === undefined) {
      await this.#record(attempt, { kind: 'failed', error: { ...error, kind: 'invalid' } }, log);
      return true;
    }
    log.info({ accountId: attempt.account.id, until: refused.until }, 'delivery held back under the write limit');
    await this.#hold(attempt, refused.until, error, log);
    return true;
  }

  /** The delivery waits as `scheduled` until `until`; the attempt does not count. */
  async #hold(attempt: Attempt, until: number, error: DeliveryError, log: Logger): Promise<void> {
    await this.#record(attempt, { kind: 'retry', state: 'scheduled', dueAt: until, error, refundAttempt: true }, log);
    this.deps.onScheduled?.(until);
  }

  async #record(attempt: Attempt, outcome: Parameters<DeliveryStore['finishAttempt']>[2], log: Logger): Promise<void> {
    const { clock, notifier } = this.deps;
    // The attempt in the post's history (`hayon posts show --log`), written with its outcome.
    const record = attemptRecord(attempt.delivery, outcome, {
      worker: this.options.owner,
      startedAt: attempt.startedAt,
      endedAt: clock(),
    });
    const recorded = await this.#finish(attempt.delivery.id, outcome, record);
    if (!recorded) {
      // Our lease ran out and the sweeper marked the delivery `unknown`: the next attempt will
      // reconcile and find this very post, so nothing is published twice.
      log.warn({ outcome: outcome.kind }, 'lease lost before the outcome was recorded');
      return;
    }
    // What the store now holds, without reading it back.
    const delivery: Delivery =
      outcome.kind === 'published'
        ? { ...attempt.delivery, state: 'published', result: outcome.result, publishedAt: outcome.at }
        : outcome.kind === 'retry'
          ? { ...attempt.delivery, state: outcome.state, dueAt: outcome.dueAt, lastError: outcome.error }
          : { ...attempt.delivery, state: 'failed', lastError: outcome.error };
    if (outcome.kind === 'published') log.info({ url: outcome.result.url }, 'delivery published');
    const now = clock();
    const held = outcome.kind === 'retry' && outcome.refundAttempt === true;
    this.deps.metrics?.attempt(
      attempt.delivery.platform,
      outcome.kind === 'retry' ? (held ? 'held' : 'retrying') : outcome.kind,
      (now - attempt.startedAt) / 1000,
      (attempt.startedAt - attempt.delivery.dueAt) / 1000,
    );
    const event =
      outcome.kind === 'published'
        ? ({ kind: 'published', post: attempt.post, delivery } as const)
        : outcome.kind === 'retry'
          ? ({
              kind: 'retrying',
              post: attempt.post,
              delivery,
              reason: outcome.error.message,
              nextAttemptAt: outcome.dueAt,
              held,
            } as const)
          : ({ kind: 'failed', post: attempt.post, delivery, reason: outcome.error.message } as const);
    await notifyPatiently(notifier, event, { retryMs: 30_000, stopping: () => this.#stopping, log });
  }

  /**
   * Records the outcome, trying again for 30 s while the store is away: an outcome lost here
   * would leave its reply unsent (the message is acked when the handler settles). A write that
   * went through with its answer lost is recognised by what the store then holds.
   */
  async #finish(id: string, outcome: AttemptOutcome, record: AttemptRecord): Promise<boolean> {
    const { store, clock } = this.deps;
    let unanswered = false;
    const options = { retryMs: 30_000, stopping: () => this.#stopping };
    return patiently(async () => {
      let recorded: boolean;
      try {
        recorded = await store.finishAttempt(id, this.options.owner, outcome, clock(), record);
      } catch (err) {
        unanswered = true;
        throw err;
      }
      if (recorded || !unanswered) return recorded;
      const now = await store.getDelivery(id);
      return now !== null && holdsOutcome(now, outcome);
    }, options);
  }

  async #fail(attempt: Attempt, e: unknown, log: Logger): Promise<void> {
    const { store, clock, transport } = this.deps;
    const now = clock();
    const error = toDeliveryError(e, now);
    const kind = error.kind;
    const retryAfter = e instanceof PlatformError ? e.retryAfterMs : undefined;
    const decision = decideRetry(kind, attempt.delivery.attempts, this.options.retry, retryAfter);
    if (kind === 'auth') {
      if (this.deps.health) {
        await this.deps.health.stoppedWorking(attempt.account, 'expired', error.message);
        await this.#waitForReconnect(attempt, error.message, log);
        return;
      }
      await store.setAccountHealth(attempt.account.id, 'expired', error.message, now);
    }
    if (!decision.retry) {
      const reason =
        decision.reason === 'attempts_spent' ? `Gave up after ${attempt.delivery.attempts} attempts: ` : '';
      log.warn({ err: e, kind, attempts: attempt.delivery.attempts }, 'delivery failed');
      await this.#record(attempt, { kind: 'failed', error: { ...error, message: reason + error.message } }, log);
      if (decision.reason === 'attempts_spent' && transport.park) {
        // Parked where an operator sees it (`hayon queue status`) and can replay it after a fix.
        await transport
          .park(deliveryMessage(attempt.delivery, attempt.post.correlationId), reason + error.message)
          .catch((err) => log.warn({ err }, 'could not park the message'));
      }
      return;
    }
    const dueAt = now + decision.delayMs;
    const viaTransport = decision.delayMs <= transport.maxDelayMs;
    const { delayMs } = decision;
    log.info({ err: e, kind, attempts: attempt.delivery.attempts, delayMs }, 'delivery will be retried');
    await this.#record(attempt, { kind: 'retry', state: viaTransport ? 'queued' : 'scheduled', dueAt, error }, log);
    if (!viaTransport) return this.deps.onScheduled?.(dueAt);
    // Refused while the broker is away: tried again for 30 s, then left to the sweeper.
    const retry = async () => [deliveryMessage(attempt.delivery, attempt.post.correlationId)];
    await sendPatiently(transport, retry, { retryMs: 30_000, stopping: () => this.#stopping, log, send: { delayMs } });
  }

  /**
   * The account needs reconnecting: the delivery waits, as `scheduled` until the post's time plus
   * the grace period (a reconnect brings it forward: AccountHealthService.working), and the
   * attempt does not count. Past the grace period it fails.
   */
  async #waitForReconnect(attempt: Attempt, why: string, log: Logger): Promise<void> {
    const { clock } = this.deps;
    const graceMs = this.deps.health?.graceMs ?? 0;
    const now = clock();
    const until = attempt.post.scheduledAt + graceMs;
    const who = `The ${platformNames[attempt.account.platform]} account ${attempt.account.handle} needs reconnecting (${why})`;
    if (now >= until) {
      const message = `${who}; hayon waited ${Math.round(graceMs / 3_600_000)} h.`;
      log.warn({ accountId: attempt.account.id }, 'delivery failed: account not reconnected in time');
      await this.#record(attempt, { kind: 'failed', error: { kind: 'auth', message, at: now } }, log);
      return;
    }
    const message = `${who}; waiting until it is reconnected, until ${new Date(until).toISOString()} at the latest.`;
    log.info({ accountId: attempt.account.id, until }, 'delivery waits for its account to be reconnected');
    await this.#hold(attempt, until, { kind: 'auth', message, at: now }, log);
  }

  #renewLease(id: string): () => void {
    const every = Math.max(1_000, Math.floor(this.options.leaseMs / 3));
    const timer = setInterval(() => {
      const now = this.deps.clock();
      this.deps.store.renewLease(id, this.options.owner, now + this.options.leaseMs).catch(() => {});
    }, every);
    timer.unref();
    return () => clearInterval(timer);
  }
}
