import { REST, type RESTOptions, Routes } from 'discord.js';
import type { Logger } from '../../logger.js';

/** A message body as Discord takes it (content, components, flags). */
export type DiscordBody = Record<string, unknown>;

/**
 * The REST calls hayon makes to Discord, through discord.js's REST client (which waits out rate
 * limits). Interaction-token routes carry no bot token; everything else is the bot.
 */
export class DiscordApi {
  readonly rest: REST;

  constructor(
    readonly applicationId: string,
    private readonly token: string,
    private readonly apiUrl: string,
    private readonly log?: Logger,
    options: Partial<RESTOptions> = {},
  ) {
    this.rest = new REST({ api: apiUrl, timeout: 15_000, retries: 3, ...options }).setToken(token);
    if (log)
      this.rest.on('rateLimited', (info) =>
        log.warn({ route: info.route, wait: info.timeToReset }, 'discord rate limit'),
      );
  }

  /**
   * The same bot for the chat outbox's sender: no retries of its own and a 429 thrown (with its
   * retry-after) rather than waited out, so an outage or a long rate limit puts the message back
   * in the outbox instead of holding the sender.
   */
  forOutbox(): DiscordApi {
    return new DiscordApi(this.applicationId, this.token, this.apiUrl, this.log, {
      retries: 0,
      rejectOnRateLimit: () => true,
    });
  }

  /** The answer to an interaction that came by the gateway (over HTTP it is the response body). */
  callback(interactionId: string, token: string, response: DiscordBody): Promise<unknown> {
    return this.rest.post(Routes.interactionCallback(interactionId, token), { body: response, auth: false });
  }

  async editOriginal(token: string, body: DiscordBody): Promise<{ id: string; channel_id: string }> {
    return (await this.rest.patch(Routes.webhookMessage(this.applicationId, token, '@original'), {
      body,
      auth: false,
    })) as { id: string; channel_id: string };
  }

  deleteOriginal(token: string): Promise<unknown> {
    return this.rest.delete(Routes.webhookMessage(this.applicationId, token, '@original'), { auth: false });
  }

  followUp(token: string, body: DiscordBody): Promise<unknown> {
    return this.rest.post(Routes.webhook(this.applicationId, token), { body, auth: false });
  }

  async startThread(channelId: string, messageId: string, name: string): Promise<{ id: string }> {
    return (await this.rest.post(Routes.threads(channelId, messageId), {
      body: { name: name.slice(0, 100) || 'hayon', auto_archive_duration: 1440 },
    })) as { id: string };
  }

  send(channelId: string, body: DiscordBody): Promise<unknown> {
    return this.rest.post(Routes.channelMessages(channelId), { body });
  }

  edit(channelId: string, messageId: string, body: DiscordBody): Promise<unknown> {
    return this.rest.patch(Routes.channelMessage(channelId, messageId), { body });
  }

  delete(channelId: string, messageId: string): Promise<unknown> {
    return this.rest.delete(Routes.channelMessage(channelId, messageId));
  }

  /**
   * `hayon discord register`: the bot's slash commands (`bots/discord/command-definitions.ts`) for
   * every guild (global) or one guild (at once, for testing).
   */
  register(commands: readonly unknown[], guildId?: string): Promise<unknown> {
    const route = guildId
      ? Routes.applicationGuildCommands(this.applicationId, guildId)
      : Routes.applicationCommands(this.applicationId);
    return this.rest.put(route, { body: commands });
  }
}
