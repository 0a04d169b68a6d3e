import type { Secrets } from '../config/secrets.js';
import { DiscordBot } from '../bots/discord/discord-bot.js';
import { SlackBot } from '../bots/slack/slack-bot.js';
import { subsystem } from '../logger.js';
import { ConnectService } from '../services/connect/connect-service.js';
import { ConnectStates } from '../services/connect/connect-states.js';
import type { Adapters } from './adapters.js';
import { connectApps, createConnectProviders } from './connect-apps.js';
import type { Services } from './services.js';

/** What only `hayon serve` has: the ways in besides the HTTP API's routes. */
export interface Ingress {
  /** "Connect an account" flows (OAuth, app passwords) behind `/connect/…`. */
  connect: ConnectService;
  /** Present when Slack is configured (`HAYON_SLACK_BOT_TOKEN`). */
  slack: SlackBot | undefined;
  /** Present when Discord is configured (`HAYON_DISCORD_TOKEN`, `HAYON_DISCORD_APP_ID`). */
  discord: DiscordBot | undefined;
}

/** The ingress step, last: the connect flows, then the chat bots, which offer connect links. */
export function createIngress(a: Adapters, secrets: Secrets, services: Services): Ingress {
  const connect = new ConnectService({
    states: new ConnectStates(a.store, secrets.secretKey, a.clock),
    accounts: services.accounts,
    box: a.box,
    clock: a.clock,
    publicUrl: a.config.publicUrl,
    providers: createConnectProviders(a, connectApps(a.config, secrets)),
  });
  return {
    connect,
    slack: createSlackBot(a, secrets, services, connect),
    discord: createDiscordBot(a, secrets, services, connect),
  };
}

/** The chat bots' common deps: the services they call and the hayon workspace they post in. */
function botDeps(a: Adapters, services: Services, connect: ConnectService) {
  return {
    posts: services.posts,
    accounts: services.accounts,
    workspaces: services.workspaces,
    postQueries: services.postQueries,
    media: services.media,
    clock: a.clock,
    connect,
    webSessions: services.webSessions,
    defaultTimezone: a.config.defaultTimezone,
  };
}

function createSlackBot(a: Adapters, secrets: Secrets, services: Services, connect: ConnectService) {
  const { slack } = a.config;
  if (!slack || !secrets.slack) return undefined;
  return new SlackBot(
    { ...botDeps(a, services, connect), log: subsystem(a.log, 'slack'), workspaceId: slack.workspaceId },
    slack,
    secrets.slack,
  );
}

function createDiscordBot(a: Adapters, secrets: Secrets, services: Services, connect: ConnectService) {
  const { discord } = a.config;
  if (!discord || !secrets.discordToken || !a.discordApi) return undefined;
  return new DiscordBot(
    {
      ...botDeps(a, services, connect),
      api: a.discordApi,
      log: subsystem(a.log, 'discord'),
      workspaceId: discord.workspaceId,
    },
    discord,
    secrets.discordToken,
  );
}
