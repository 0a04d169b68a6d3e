import { defaultTargets } from '../../default-targets.js';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parsePostText } from '../../post-text.js';
import { fallbackZone, type SlackDeps, userTimezone } from '../context.js';
import { guarded, publish } from '../respond.js';
import { openModal } from './post-modal.js';

/** `/post <text> [time] [to targets]`; `/post` alone opens the form. */
export async function postCommand(
  deps: SlackDeps,
  { command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const who = {
    teamId: command.team_id,
    channelId: command.channel_id,
    userId: command.user_id,
    userName: command.user_name,
  };
  if (!command.text.trim()) return openModal(deps, client, who, command.trigger_id, {});
  await guarded(deps, client, who, async () => {
    const timezone = await userTimezone(client, who.userId, await fallbackZone(deps));
    const accounts = await deps.accounts.list(deps.workspaceId);
    const parsed = parsePostText(command.text, {
      timezone,
      now: deps.clock(),
      accountIds: accounts.map((a) => a.id),
    });
    const targets = parsed.targets ?? (await defaultTargets(deps, deps.workspaceId));
    await publish(deps, client, who, {
      text: parsed.text,
      targets,
      ...(parsed.when ? { when: parsed.when } : {}),
      timezone,
    });
  });
}
