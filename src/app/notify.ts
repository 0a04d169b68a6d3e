import { subsystem } from '../logger.js';
import { CallbackNotifier } from '../notify/callbacks/callback-notifier.js';
import type { CallbackSender } from '../notify/callbacks/callback-sender.js';
import { ChatAlerts } from '../notify/chat-alerts.js';
import { ChatOutbox } from '../notify/chat/chat-outbox.js';
import type { ChatSender } from '../notify/chat/chat-sender.js';
import { DiscordNotifier } from '../notify/discord/discord-notifier.js';
import { LogNotifier } from '../notify/log-notifier.js';
import type { Notifier } from '../notify/notifier.js';
import { ResultsMessages } from '../notify/results-messages.js';
import { RoutingNotifier } from '../notify/routing-notifier.js';
import { SlackNotifier } from '../notify/slack/slack-notifier.js';
import type { Adapters } from './adapters.js';
import type { AppOverrides } from './overrides.js';

/** Who hears of what happened: the callback outbox, the chat outbox, and account alerts in the chat apps. */
export interface Notify {
  /** Stores callbacks (API posts with a `callbackUrl`): told of every outcome and of a cancel. */
  callbackNotifier: CallbackNotifier;
  /** Stores thread replies, summary edits and alerts for Slack and Discord (the ChatSender sends them). */
  chatOutbox: ChatOutbox;
  /** Account alerts in the workspace's Slack or Discord alert channel. */
  alerts: ChatAlerts;
  /** The messages of API, CLI and webhook posts in the workspace's results channels. */
  results: ResultsMessages;
}

/**
 * The notify step, after the adapters: `sender` and `chat`, where this process runs them (serve,
 * worker), are woken when a callback or a chat message is stored; without them (the CLI) the
 * running senders' polls find it.
 */
export function createNotify(a: Adapters, sender: CallbackSender | undefined, chat: ChatSender | undefined): Notify {
  const chatOutbox = new ChatOutbox({ store: a.store, clock: a.clock, onAdded: chat ? () => chat.wake() : undefined });
  return {
    callbackNotifier: new CallbackNotifier({
      store: a.store,
      clock: a.clock,
      ...(sender ? { onAdded: () => sender.wake() } : {}),
    }),
    chatOutbox,
    alerts: new ChatAlerts({
      store: a.store,
      outbox: chatOutbox,
      slack: a.slackClient !== undefined,
      discord: a.discordApi !== undefined,
    }),
    results: new ResultsMessages({ slack: a.slackClient, discord: a.discordApi, log: subsystem(a.log, 'notify') }),
  };
}

/**
 * What the worker tells of each delivery's outcome: a reply in the Slack or Discord thread the
 * post came from (stored in the chat outbox before the worker acks), the log, and the callback
 * outbox.
 */
export function createDeliveryNotifier(a: Adapters, notify: Notify, overrides: AppOverrides): Notifier {
  if (overrides.notifier) return overrides.notifier;
  const log = subsystem(a.log, 'notify');
  const outbox = notify.chatOutbox;
  return new RoutingNotifier(
    {
      ...(a.slackClient ? { slack: new SlackNotifier({ outbox, store: a.store }) } : {}),
      ...(a.discordApi ? { discord: new DiscordNotifier({ outbox, store: a.store }) } : {}),
    },
    [new LogNotifier(log), notify.callbackNotifier],
    log,
  );
}
