import type { App } from '@slack/bolt';
import { actionIds } from '../../notify/slack/blocks.js';
import { cancelButton, deleteButton, postNowButton } from './commands/buttons.js';
import { hayonCommand } from './commands/hayon.js';
import { postCommand } from './commands/post.js';
import { editButton, editModalSubmitted, retryButton } from './commands/retry-edit.js';
import { modalSubmitted, postToSocialShortcut, whenTyped } from './commands/post-modal.js';
import type { SlackDeps } from './context.js';
import { editModalCallbackId, postModalCallbackId } from './modal.js';

/** Registers every listener: commands, buttons, the form, the shortcut; each in its own file under `commands/`. */
export function registerSlackHandlers(app: App, deps: SlackDeps): void {
  app.command('/post', (args) => postCommand(deps, args));
  app.command('/hayon', (args) => hayonCommand(deps, args));
  app.action(actionIds.cancel, (args) => cancelButton(deps, args));
  app.action(actionIds.postNow, (args) => postNowButton(deps, args));
  app.action(actionIds.retry, (args) => retryButton(deps, args));
  app.action(actionIds.edit, (args) => editButton(deps, args));
  app.view(editModalCallbackId, (args) => editModalSubmitted(deps, args));
  app.action(actionIds.delete, (args) => deleteButton(deps, args));
  app.action(actionIds.when, (args) => whenTyped(deps, args));
  app.view(postModalCallbackId, (args) => modalSubmitted(deps, args));
  app.shortcut('hayon_post_to_social', (args) => postToSocialShortcut(deps, args));
}
