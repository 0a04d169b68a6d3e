import { hostname } from 'node:os';
import { newId } from '../core/ids.js';
import { defaultRetryPolicy } from '../core/retry-policy.js';
import { subsystem } from '../logger.js';
import { CallbackSender } from '../notify/callbacks/callback-sender.js';
import { ChatSender } from '../notify/chat/chat-sender.js';
import { outboxSlackClient } from '../notify/slack/slack-client.js';
import { AuditLog } from '../services/audit-log.js';
import type { Notifier } from '../notify/notifier.js';
import { DeliveryWorker } from '../worker/delivery-worker.js';
import { Pacer } from '../worker/pacer.js';
import { Scheduler } from '../worker/scheduler.js';
import { Sweeper } from '../worker/sweeper.js';
import type { Adapters } from './adapters.js';
import type { AppOverrides } from './overrides.js';
import type { Services } from './services.js';

/**
 * The loops a role runs, each built from what the steps before made. The scheduler and the
 * callback sender need only the adapters, so they come first (the services and the callback
 * outbox tell them of new work); the sweeper and the delivery worker come after the services.
 */

/** Moves due deliveries to the transport (`hayon serve`). */
export function createScheduler(a: Adapters, overrides: AppOverrides): Scheduler {
  return new Scheduler(
    { store: a.store, transport: a.transport, clock: a.clock, log: subsystem(a.log, 'scheduler') },
    overrides.scheduler,
  );
}

/** Sends the callback outbox, where the worker runs. */
export function createCallbackSender(a: Adapters, overrides: AppOverrides): CallbackSender {
  return new CallbackSender(
    {
      store: a.store,
      clock: a.clock,
      log: subsystem(a.log, 'callbacks'),
      secrets: a.signing,
      allowHosts: a.config.fetchAllowHosts,
    },
    overrides.callbacks,
  );
}

/**
 * Sends the chat outbox (thread replies, summary edits, alerts), where the worker runs, with
 * clients of the same bots that neither retry nor wait out a 429 themselves: the outbox does.
 */
export function createChatSender(a: Adapters, overrides: AppOverrides): ChatSender {
  const log = subsystem(a.log, 'chat');
  return new ChatSender(
    {
      store: a.store,
      clock: a.clock,
      log,
      audit: new AuditLog({ store: a.store, clock: a.clock, log: subsystem(a.log, 'audit') }),
      slack: a.slackClient ? outboxSlackClient(a.slackClient, subsystem(a.log, 'slack')) : undefined,
      discord: a.discordApi?.forOutbox(),
    },
    overrides.chat,
  );
}

/** Finds deliveries whose message or lease was lost, and sends them again. */
export function createSweeper(a: Adapters, overrides: AppOverrides): Sweeper {
  const { worker } = a.config;
  return new Sweeper(
    { store: a.store, transport: a.transport, clock: a.clock, log: subsystem(a.log, 'sweeper') },
    {
      intervalMs: worker.sweepIntervalMs,
      strandedAfterMs: worker.strandedAfterMs,
      strandedWhileBusyAfterMs: worker.strandedWhileBusyAfterMs,
      ...overrides.sweeper,
    },
  );
}

/** Consumes deliveries and publishes them; `scheduler` is told of retries when this process runs one. */
export function createDeliveryWorker(
  a: Adapters,
  services: Pick<Services, 'media' | 'health' | 'metrics'>,
  notifier: Notifier,
  scheduler: Scheduler | undefined,
  overrides: AppOverrides,
): DeliveryWorker {
  const { config } = a;
  return new DeliveryWorker(
    {
      store: a.store,
      transport: a.transport,
      platforms: a.platforms,
      box: a.box,
      notifier,
      loadMedia: overrides.loadMedia ?? services.media.load,
      media: services.media,
      clock: a.clock,
      log: subsystem(a.log, 'worker'),
      ...(scheduler ? { onScheduled: (at: number) => scheduler.wake(at) } : {}),
      health: services.health,
      metrics: services.metrics,
      pacer: new Pacer(a.store, config.pacing),
    },
    {
      owner: newId(`w-${hostname()}-${process.pid}`),
      concurrency: config.worker.concurrency,
      leaseMs: config.worker.leaseMs,
      retry: overrides.retry ?? { ...defaultRetryPolicy, maxAttempts: config.worker.maxAttempts },
    },
  );
}
