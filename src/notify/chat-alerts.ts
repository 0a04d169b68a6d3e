import type { webApi } from '@slack/bolt';
import { type AccountAlert, type AccountAlerts, alertText } from '../services/accounts/account-health.js';
import type { WorkspaceStore } from '../store/ports/workspace-store.js';
import type { DiscordApi } from './discord/discord-api.js';

/**
 * Account alerts in the workspace's alert channels (`hayon workspace set --slack-alerts C… |
 * --discord-alerts …`): an admin chooses a channel of people who may reconnect accounts, since
 * the message carries a reconnect link. Without a channel the alert is only logged.
 */
export class ChatAlerts implements AccountAlerts {
  constructor(
    private readonly deps: {
      store: WorkspaceStore;
      slack?: webApi.WebClient | undefined;
      discord?: DiscordApi | undefined;
    },
  ) {}

  async send(alert: AccountAlert): Promise<void> {
    const workspace = await this.deps.store.getWorkspace(alert.account.workspaceId);
    const channels = workspace?.settings?.alertChannels ?? {};
    const sends: Promise<unknown>[] = [];
    if (channels.slack && this.deps.slack) {
      const text = alertText(alert, (url, label) => `<${url}|${label}>`);
      sends.push(this.deps.slack.chat.postMessage({ channel: channels.slack, text, unfurl_links: false }));
    }
    if (channels.discord && this.deps.discord) {
      const content = alertText(alert, (url, label) => `[${label}](<${url}>)`);
      sends.push(this.deps.discord.send(channels.discord, { content, allowed_mentions: { parse: [] } }));
    }
    await Promise.all(sends);
  }
}
