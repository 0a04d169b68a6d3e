import type { Config } from '../config/config.js';
import type { Secrets } from '../config/secrets.js';
import type { CallbackSender } from '../notify/callbacks/callback-sender.js';
import type { ChatSender } from '../notify/chat/chat-sender.js';
import type { ConnectLinkMaker } from '../services/connect/connect-links.js';
import type { ConnectService } from '../services/connect/connect-service.js';
import type { DeliveryWorker } from '../worker/delivery-worker.js';
import type { Scheduler } from '../worker/scheduler.js';
import type { Sweeper } from '../worker/sweeper.js';
import { type Adapters, openAdapters } from './adapters.js';
import { createIngress, type Ingress } from './ingress.js';
import { createDeliveryNotifier, createNotify } from './notify.js';
import type { AppOverrides } from './overrides.js';
import { createServices, type Services } from './services.js';
import {
  createCallbackSender,
  createChatSender,
  createDeliveryWorker,
  createScheduler,
  createSweeper,
} from './worker-parts.js';

export type { AppOverrides } from './overrides.js';

/**
 * What a CLI command has: the adapters and the services, nothing that runs by itself (no
 * scheduler, no worker, no bot). `dispose()` closes the adapters.
 */
export interface CliContext extends Adapters, Services {
  /** Connect links (`hayon accounts connect`); the flows themselves run in `hayon serve`. */
  connect: ConnectLinkMaker;
  /** `HAYON_METRICS_TOKEN`, if set. */
  metricsToken: string | undefined;
  dispose(): Promise<void>;
}

/** The loops of `hayon worker`: deliveries, the sweeper, the callback outbox. */
export interface WorkerLoops {
  worker: DeliveryWorker;
  sweeper: Sweeper;
  /** Sends the callback outbox; runs where the worker runs. */
  callbacks: CallbackSender;
  /** Sends the chat outbox (replies, summary edits, alerts); runs where the worker runs. */
  chat: ChatSender;
}

/**
 * `hayon worker`: the CLI's parts and the loops, with the chat apps' REST clients to reply in
 * threads, but no Slack receiver, Discord gateway or connect flows.
 */
export interface WorkerContext extends CliContext, WorkerLoops {}

/** `hayon serve` (and the tests): everything, with the scheduler and the ingress. */
export interface AppContext extends WorkerContext, Omit<Ingress, 'connect'> {
  /** "Connect an account" flows (OAuth, app passwords) behind `/connect/…`, and their links. */
  connect: ConnectService;
  scheduler: Scheduler;
}

/**
 * The one place that builds everything, in order: adapters, then the loops that need only them
 * (the scheduler, the callback sender), the notify step, the services, the worker's parts, and
 * the ingress. Each role builds what it uses and no more; tests pass `overrides`.
 */
export const AppContext = {
  /** Everything `hayon serve` runs. */
  fromConfig: serveContext,
  /** What `hayon worker` runs. */
  forWorker: workerContext,
  /** What a CLI command uses. */
  forCli: cliContext,
};

async function cliContext(config: Config, secrets: Secrets, overrides: AppOverrides = {}): Promise<CliContext> {
  const a = await openAdapters(config, secrets, overrides);
  const services = createServices(a, secrets, createNotify(a, undefined, undefined), undefined, overrides);
  return {
    ...a,
    ...services,
    connect: services.connectLinks,
    metricsToken: secrets.metricsToken,
    dispose: () => close(a),
  };
}

async function workerContext(config: Config, secrets: Secrets, overrides: AppOverrides = {}): Promise<WorkerContext> {
  const a = await openAdapters(config, secrets, overrides);
  const parts = workerParts(a, secrets, undefined, overrides);
  return {
    ...a,
    ...parts,
    connect: parts.connectLinks,
    metricsToken: secrets.metricsToken,
    dispose: async () => {
      await stopLoops(parts);
      await close(a);
    },
  };
}

async function serveContext(config: Config, secrets: Secrets, overrides: AppOverrides = {}): Promise<AppContext> {
  const a = await openAdapters(config, secrets, overrides);
  const scheduler = createScheduler(a, overrides);
  const parts = workerParts(a, secrets, scheduler, overrides);
  const ingress = createIngress(a, secrets, parts);
  return {
    ...a,
    ...parts,
    ...ingress,
    scheduler,
    metricsToken: secrets.metricsToken,
    dispose: async () => {
      await ingress.slack?.stop();
      await ingress.discord?.stop();
      await scheduler.stop();
      await stopLoops(parts);
      await close(a);
    },
  };
}

/**
 * The callback sender, the notify step, the services, then the sweeper and the delivery worker;
 * `scheduler`, in `hayon serve`, is told of new due work.
 */
function workerParts(
  a: Adapters,
  secrets: Secrets,
  scheduler: Scheduler | undefined,
  overrides: AppOverrides,
): Services & WorkerLoops {
  const callbacks = createCallbackSender(a, overrides);
  const chat = createChatSender(a, overrides);
  const notify = createNotify(a, callbacks, chat);
  const services = createServices(a, secrets, notify, scheduler, overrides);
  const sweeper = createSweeper(a, overrides);
  const notifier = createDeliveryNotifier(a, notify, overrides);
  const worker = createDeliveryWorker(a, services, notifier, scheduler, overrides);
  return { ...services, sweeper, worker, callbacks, chat };
}

async function stopLoops(loops: WorkerLoops): Promise<void> {
  await loops.sweeper.stop();
  await loops.worker.stop();
  await loops.callbacks.stop();
  await loops.chat.stop();
}

async function close(a: Adapters): Promise<void> {
  await a.transport.close();
  await a.store.close();
  a.mediaStore.close();
}
