import type { HayonEnv } from './env.js';
import { ConfigError, url } from './values.js';

export interface SlackConfig {
  mode: 'http' | 'socket';
  /** `HAYON_SLACK_API_URL`, default `https://slack.com/api/`; tests point it at a fake. */
  apiUrl: string;
  /** The hayon workspace the Slack team maps to. `HAYON_SLACK_WORKSPACE`, default `default`. */
  workspaceId: string;
}

export interface DiscordConfig {
  mode: 'http' | 'gateway';
  applicationId: string;
  /** Ed25519 public key (hex) that signs interactions; HTTP mode. */
  publicKey?: string | undefined;
  /** `HAYON_DISCORD_API_URL`, default `https://discord.com/api`; tests point it at a fake. */
  apiUrl: string;
  /** The hayon workspace the guild maps to. `HAYON_DISCORD_WORKSPACE`, default `default`. */
  workspaceId: string;
}

/** Slack from `HAYON_SLACK_*`, or undefined without a bot token. */
export function slackConfig(env: HayonEnv): SlackConfig | undefined {
  if (!env.slackBotToken) {
    if (env.slackSigningSecret || env.slackAppToken) {
      throw new ConfigError(
        'HAYON_SLACK_BOT_TOKEN must be set with HAYON_SLACK_SIGNING_SECRET or HAYON_SLACK_APP_TOKEN.',
      );
    }
    return undefined;
  }
  if (!env.slackBotToken.startsWith('xoxb-'))
    throw new ConfigError('HAYON_SLACK_BOT_TOKEN must be a bot token (xoxb-…).');
  if (env.slackAppToken && !env.slackAppToken.startsWith('xapp-')) {
    throw new ConfigError('HAYON_SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write.');
  }
  const mode = env.slackAppToken ? 'socket' : 'http';
  if (mode === 'http' && !env.slackSigningSecret) {
    throw new ConfigError(
      'HAYON_SLACK_SIGNING_SECRET must be set for Slack over HTTP (or set HAYON_SLACK_APP_TOKEN for Socket Mode).',
    );
  }
  const apiUrl = url('HAYON_SLACK_API_URL', env.slackApiUrl || 'https://slack.com/api/', ['http:', 'https:']);
  return {
    mode,
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    workspaceId: env.slackWorkspace || 'default',
  };
}

/** Discord from `HAYON_DISCORD_*`, or undefined without a token. */
export function discordConfig(env: HayonEnv): DiscordConfig | undefined {
  if (!env.discordToken) {
    if (env.discordAppId || env.discordPublicKey) {
      throw new ConfigError('HAYON_DISCORD_TOKEN must be set with HAYON_DISCORD_APP_ID and HAYON_DISCORD_PUBLIC_KEY.');
    }
    return undefined;
  }
  if (!env.discordAppId || !/^\d{15,22}$/.test(env.discordAppId)) {
    throw new ConfigError(
      'HAYON_DISCORD_APP_ID must be the application id (a number) from the Discord developer portal.',
    );
  }
  if (env.discordPublicKey && !/^[0-9a-f]{64}$/i.test(env.discordPublicKey)) {
    throw new ConfigError("HAYON_DISCORD_PUBLIC_KEY must be the 64 hex characters of the application's public key.");
  }
  return {
    mode: env.discordPublicKey ? 'http' : 'gateway',
    applicationId: env.discordAppId,
    ...(env.discordPublicKey ? { publicKey: env.discordPublicKey.toLowerCase() } : {}),
    apiUrl: url('HAYON_DISCORD_API_URL', env.discordApiUrl || 'https://discord.com/api', ['http:', 'https:']).replace(
      /\/+$/,
      '',
    ),
    workspaceId: env.discordWorkspace || 'default',
  };
}
