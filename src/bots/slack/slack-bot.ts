import { App, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { Hono } from 'hono';
import type { SlackConfig } from '../../config/config.js';
import type { Secrets } from '../../config/secrets.js';
import { slackClientOptions } from '../../notify/slack/slack-client.js';
import type { SlackDeps } from './context.js';
import { registerSlackHandlers } from './handlers.js';
import { HonoSlackReceiver } from './hono-receiver.js';

type SlackSecrets = NonNullable<Secrets['slack']>;

/**
 * hayon's Slack app (Bolt): over HTTP, mounted on hayon's Hono server at `POST /slack/events`
 * with every request's signature checked; or over Socket Mode (an app-level token, no public URL
 * needed). Both feed the same handlers.
 */
export class SlackBot {
  readonly app: App;
  readonly client: webApi.WebClient;
  readonly #http: HonoSlackReceiver | undefined;
  readonly #socket: boolean;
  #ready: Promise<void> | undefined;

  constructor(deps: Omit<SlackDeps, 'botToken' | 'apiHost'>, config: SlackConfig, secrets: SlackSecrets) {
    const clientOptions = slackClientOptions(config.apiUrl, deps.log);
    const { logger } = clientOptions;
    this.#socket = config.mode === 'socket';
    this.#http =
      config.mode === 'http'
        ? new HonoSlackReceiver({ signingSecret: secrets.signingSecret ?? '', log: deps.log, now: deps.clock })
        : undefined;
    const receiver =
      this.#http ??
      new SocketModeReceiver({
        appToken: secrets.appToken ?? '',
        logger,
        // apps.connections.open goes to the same API as everything else (a fake in tests).
        installerOptions: { clientOptions },
      });
    this.app = new App({
      token: secrets.botToken,
      receiver,
      logger,
      clientOptions,
      deferInitialization: true,
    });
    this.client = this.app.client;
    registerSlackHandlers(this.app, { ...deps, botToken: secrets.botToken, apiHost: new URL(config.apiUrl).host });
  }

  /** Bolt checks the token (`auth.test`) once, on first use. */
  ready(): Promise<void> {
    this.#ready ??= this.app.init();
    return this.#ready;
  }

  /** `POST /slack/events` in HTTP mode; nothing in Socket Mode. */
  routes(): Hono | undefined {
    return this.#http?.routes(() => this.ready());
  }

  async start(): Promise<void> {
    await this.ready();
    if (this.#socket) await this.app.start();
  }

  async stop(): Promise<void> {
    if (this.#socket) await this.app.stop();
  }
}
