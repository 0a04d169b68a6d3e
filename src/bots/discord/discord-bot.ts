import { Client, GatewayIntentBits } from 'discord.js';
import { Hono } from 'hono';
import type { DiscordConfig } from '../../config/config.js';
import { HayonError } from '../../core/errors.js';
import { errorBody } from '../../core/error-body.js';
import type { DiscordApi } from '../../notify/discord/discord-api.js';
import { type DiscordDeps, type Handled, handleInteraction, type Interaction } from './interactions.js';
import { discordPublicKey, verifyDiscordSignature } from './verify.js';

/** Interactions are small; anything bigger is not from Discord. */
const maxBodyBytes = 512 * 1024;

/**
 * hayon on Discord: the HTTP interactions endpoint (`POST /discord/interactions`, Ed25519
 * signatures checked) or, without a public key, the gateway (discord.js). Both feed
 * `handleInteraction`; over HTTP the answer is the response body, over the gateway it is sent to
 * the interaction's callback.
 */
export class DiscordBot {
  #client: Client | undefined;

  constructor(
    private readonly deps: Omit<DiscordDeps, 'api' | 'apiHost'> & { api: DiscordApi },
    private readonly config: DiscordConfig,
    private readonly token: string,
  ) {}

  get #handlerDeps(): DiscordDeps {
    return { ...this.deps, apiHost: new URL(this.config.apiUrl).host };
  }

  /** `POST /discord/interactions` in HTTP mode; nothing over the gateway. */
  routes(): Hono | undefined {
    if (this.config.mode !== 'http' || !this.config.publicKey) return undefined;
    const key = discordPublicKey(this.config.publicKey);
    const routes = new Hono();
    routes.post('/discord/interactions', async (c) => {
      if (Number(c.req.header('content-length') ?? 0) > maxBodyBytes) {
        throw new HayonError('payload_too_large', 'discord body too large');
      }
      const body = await c.req.text();
      const ok = verifyDiscordSignature({
        publicKey: key,
        body,
        signature: c.req.header('x-signature-ed25519'),
        timestamp: c.req.header('x-signature-timestamp'),
      });
      if (!ok) {
        const e = new HayonError('unauthorized', 'invalid request signature', {
          userMessage: 'Invalid request signature.',
        });
        return c.json(errorBody(e), 401);
      }
      let interaction: Interaction;
      try {
        interaction = JSON.parse(body) as Interaction;
      } catch {
        return c.json(errorBody(new HayonError('invalid_request', 'unreadable interaction')), 400);
      }
      const handled = await handleInteraction(this.#handlerDeps, interaction);
      this.#runAfter(handled);
      return c.json(handled.response);
    });
    return routes;
  }

  #runAfter(handled: Handled): void {
    if (!handled.after) return;
    void handled.after().catch((err: unknown) => this.deps.log.error({ err }, 'discord follow-up failed'));
  }

  /** Over the gateway: connects and answers each interaction at its callback. */
  async start(): Promise<void> {
    if (this.config.mode !== 'gateway') return;
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: this.config.apiUrl } });
    client.on('raw', (packet: { t?: string; d?: unknown }) => {
      if (packet.t !== 'INTERACTION_CREATE') return;
      const interaction = packet.d as Interaction;
      void handleInteraction(this.#handlerDeps, interaction)
        .then(async (handled) => {
          await this.deps.api.callback(interaction.id, interaction.token, handled.response);
          this.#runAfter(handled);
        })
        .catch((err: unknown) => this.deps.log.error({ err }, 'discord interaction failed'));
    });
    client.on('error', (err) => this.deps.log.warn({ err }, 'discord gateway error'));
    await client.login(this.token);
    this.#client = client;
  }

  async stop(): Promise<void> {
    await this.#client?.destroy();
    this.#client = undefined;
  }
}
