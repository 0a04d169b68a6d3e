import { subsystem } from '../logger.js';
import { CallbackNotifier } from '../notify/callbacks/callback-notifier.js';
import type { CallbackSender } from '../notify/callbacks/callback-sender.js';
import { ChatAlerts } from '../notify/chat-alerts.js';
import { DiscordNotifier } from '../notify/discord/discord-notifier.js';
import { LogNotifier } from '../notify/log-notifier.js';
import type { Notifier } from '../notify/notifier.js';
import { ResultsMessages } from '../notify/results-messages.js';
import { RoutingNotifier } from '../notify/routing-notifier.js';
import { SlackNotifier } from '../notify/slack/slack-notifier.js';
import type { Adapters } from './adapters.js';
import type { AppOverrides } from './overrides.js';

/** Who hears of what happened: the callback outbox, and account alerts in the chat apps. */
export interface Notify {
  /** Stores callbacks (API posts with a `callbackUrl`): told of every outcome and of a cancel. */
  callbackNotifier: CallbackNotifier;
  /** Account alerts in the workspace's Slack or Discord alert channel. */
  alerts: ChatAlerts;
  /** The messages of API, CLI and webhook posts in the workspace's results channels. */
  results: ResultsMessages;
}

/**
 * The notify step, after the adapters: `sender`, where this process runs one (serve, worker), is
 * woken when a callback is stored; without it (the CLI) the running sender's poll finds it.
 */
export function createNotify(a: Adapters, sender: CallbackSender | undefined): Notify {
  return {
    callbackNotifier: new CallbackNotifier({
      store: a.store,
      clock: a.clock,
      ...(sender ? { onAdded: () => sender.wake() } : {}),
    }),
    alerts: new ChatAlerts({ store: a.store, slack: a.slackClient, discord: a.discordApi }),
    results: new ResultsMessages({ slack: a.slackClient, discord: a.discordApi, log: subsystem(a.log, 'notify') }),
  };
}

/**
 * What the worker tells of each delivery's outcome: a reply in the Slack or Discord thread the
 * post came from, the log, and the callback outbox.
 */
export function createDeliveryNotifier(a: Adapters, notify: Notify, overrides: AppOverrides): Notifier {
  if (overrides.notifier) return overrides.notifier;
  const log = subsystem(a.log, 'notify');
  return new RoutingNotifier(
    {
      ...(a.slackClient ? { slack: new SlackNotifier({ client: a.slackClient, store: a.store }) } : {}),
      ...(a.discordApi ? { discord: new DiscordNotifier({ api: a.discordApi, store: a.store }) } : {}),
    },
    [new LogNotifier(log), notify.callbackNotifier],
    log,
  );
}
