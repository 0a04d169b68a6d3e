import { HayonError } from '../../core/errors.js';
import type { WorkspaceSettings } from '../../core/post.js';
import { formatSlots, parseSlots } from '../../core/slots.js';
import { UsageError } from '../io.js';

/**
 * `hayon workspace set --slack-results C… --discord-results … --slots "…"`: where posts from the
 * API, the CLI and webhooks show their outcomes, and the queue's weekly slots. A usage error
 * names the flag and shows an example.
 */
export function resultsAndSlotsChanges(
  str: (flag: string) => string | undefined,
  current: WorkspaceSettings,
  usage: string,
): WorkspaceSettings {
  const changes: WorkspaceSettings = {};
  const slack = str('slack-results');
  const discord = str('discord-results');
  if (slack !== undefined || discord !== undefined) {
    const channels = { ...current.resultChannels };
    if (slack !== undefined) {
      if (slack !== 'none' && !/^[CG][A-Z0-9]+$/.test(slack)) {
        throw new UsageError(`--slack-results takes a channel id (C…) or none, not "${slack}"\nusage: ${usage}`);
      }
      channels.slack = slack === 'none' ? undefined : slack;
    }
    if (discord !== undefined) {
      if (discord !== 'none' && !/^\d{15,22}$/.test(discord)) {
        throw new UsageError(
          `--discord-results takes a channel id (a number) or none, not "${discord}"\nusage: ${usage}`,
        );
      }
      channels.discord = discord === 'none' ? undefined : discord;
    }
    changes.resultChannels = channels;
  }
  const slots = str('slots');
  if (slots !== undefined) changes.slots = slots === 'none' ? '' : readSlots(slots);
  return changes;
}

function readSlots(value: string): string {
  try {
    return formatSlots(parseSlots(value, { label: '--slots' }));
  } catch (e) {
    if (e instanceof HayonError && e.userMessage) throw new UsageError(e.userMessage);
    throw e;
  }
}

/** The lines `hayon workspace show` prints for these settings. */
export function describeResultsAndSlots(s: WorkspaceSettings): string[] {
  const results = [
    s.resultChannels?.slack && `Slack <#${s.resultChannels.slack}>`,
    s.resultChannels?.discord && `Discord ${s.resultChannels.discord}`,
  ].filter(Boolean);
  return [
    `  results of API, CLI and webhook posts: ${results.join(', ') || 'the log and callbacks only'}`,
    `  queue slots ("next slot"): ${s.slots ? `${s.slots} (${s.timezone ?? 'HAYON_DEFAULT_TIMEZONE'})` : 'none (hayon workspace set --slots "mon-fri 09:00,13:00")'}`,
  ];
}
