import { newId } from '../core/ids.js';
import { type AccountAlert, type AccountAlerts, alertText } from '../services/accounts/account-health.js';
import type { WorkspaceStore } from '../store/ports/workspace-store.js';
import type { ChatOutbox } from './chat/chat-outbox.js';

/**
 * Account alerts in the workspace's alert channels (`hayon workspace set --slack-alerts C… |
 * --discord-alerts …`): an admin chooses a channel of people who may reconnect accounts, since
 * the message carries a reconnect link. Without a channel the alert is only logged. Alerts go
 * through the chat outbox, so one raised while Slack or Discord is down arrives when it is back.
 */
export class ChatAlerts implements AccountAlerts {
  constructor(
    private readonly deps: {
      store: WorkspaceStore;
      outbox: ChatOutbox;
      slack: boolean;
      discord: boolean;
    },
  ) {}

  async send(alert: AccountAlert): Promise<void> {
    const { workspaceId } = alert.account;
    const workspace = await this.deps.store.getWorkspace(workspaceId);
    const channels = workspace?.settings?.alertChannels ?? {};
    const id = newId('alert');
    if (channels.slack && this.deps.slack) {
      const text = alertText(alert, (url, label) => `<${url}|${label}>`);
      await this.deps.outbox.add({
        id: `${id}.slack`,
        chat: 'slack',
        thread: `slack:${channels.slack}`,
        workspaceId,
        request: { op: 'post', channelId: channels.slack, body: { text, unfurl_links: false } },
      });
    }
    if (channels.discord && this.deps.discord) {
      const content = alertText(alert, (url, label) => `[${label}](<${url}>)`);
      await this.deps.outbox.add({
        id: `${id}.discord`,
        chat: 'discord',
        thread: `discord:${channels.discord}`,
        workspaceId,
        request: { op: 'post', channelId: channels.discord, body: { content, allowed_mentions: { parse: [] } } },
      });
    }
  }
}
