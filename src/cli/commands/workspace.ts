import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import type { ChatPermissions, WorkspaceSettings } from '../../core/post.js';
import { isValidTimeZone } from '../../core/schedule.js';
import { type Command, parseFlags, UsageError } from '../io.js';
import { describeResultsAndSlots, resultsAndSlotsChanges } from './workspace-results-slots.js';

export const usage = `hayon workspace show [--workspace W] [--json]
       hayon workspace callback-secret [--workspace W]
       hayon workspace set [--require-alt-text on|off] [--default-targets bluesky,mastodon|all]
                           [--slack-posters everyone|group:S0123|users:U01,U02] [--slack-channels C01,C02|any]
                           [--discord-role ROLE_ID|none] [--timezone Europe/Berlin]
                           [--slack-alerts C0123|none] [--discord-alerts CHANNEL_ID|none]
                           [--slack-results C0123|none] [--discord-results CHANNEL_ID|none]
                           [--slots "mon-fri 09:00,13:00; sat 10:00"|none]
                           [--workspace W]`;

function onOff(value: string, flag: string): boolean {
  if (['on', 'true', 'yes'].includes(value)) return true;
  if (['off', 'false', 'no'].includes(value)) return false;
  throw new UsageError(`${flag} takes on or off, not "${value}"\nusage: ${usage}`);
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function posters(value: string): ChatPermissions['posters'] {
  if (value === 'everyone') return { kind: 'everyone' };
  const [kind, rest = ''] = value.split(/:(.*)/s);
  if (kind === 'group' && /^S[A-Z0-9]+$/.test(rest)) return { kind: 'group', id: rest };
  if (kind === 'users' && list(rest).length && list(rest).every((u) => /^[UW][A-Z0-9]+$/.test(u))) {
    return { kind: 'users', ids: list(rest) };
  }
  throw new UsageError(`--slack-posters takes everyone, group:S… or users:U…,U…, not "${value}"\nusage: ${usage}`);
}

/** The changes the flags ask for; a usage error names the flag that is wrong. */
function changesFrom(
  values: Record<string, string | boolean | undefined>,
  current: WorkspaceSettings,
): WorkspaceSettings {
  const changes: WorkspaceSettings = {};
  const str = (flag: string) => (typeof values[flag] === 'string' ? (values[flag] as string) : undefined);
  const alt = str('require-alt-text');
  if (alt !== undefined) changes.requireAltText = onOff(alt, '--require-alt-text');
  const targets = str('default-targets');
  if (targets !== undefined) changes.defaultTargets = targets === 'all' ? [] : list(targets);
  const who = str('slack-posters');
  const channels = str('slack-channels');
  if (who !== undefined || channels !== undefined) {
    const slack: ChatPermissions = { ...current.slack };
    if (who !== undefined) slack.posters = posters(who);
    if (channels !== undefined) {
      if (channels !== 'any' && !list(channels).every((c) => /^[CG][A-Z0-9]+$/.test(c))) {
        throw new UsageError(`--slack-channels takes channel ids (C…) or any, not "${channels}"\nusage: ${usage}`);
      }
      slack.channels = channels === 'any' ? [] : list(channels);
    }
    changes.slack = slack;
  }
  const zone = str('timezone');
  if (zone !== undefined) {
    if (!isValidTimeZone(zone))
      throw new UsageError(`--timezone takes an IANA zone such as Europe/Berlin, not "${zone}"\nusage: ${usage}`);
    changes.timezone = zone;
  }
  const role = str('discord-role');
  if (role !== undefined) {
    if (role !== 'none' && !/^\d{15,22}$/.test(role)) {
      throw new UsageError(`--discord-role takes a role id (a number) or none, not "${role}"\nusage: ${usage}`);
    }
    changes.discordPosterRole = role === 'none' ? '' : role;
  }
  const slackAlerts = str('slack-alerts');
  const discordAlerts = str('discord-alerts');
  if (slackAlerts !== undefined || discordAlerts !== undefined) {
    const alerts = { ...current.alertChannels };
    if (slackAlerts !== undefined) {
      if (slackAlerts !== 'none' && !/^[CG][A-Z0-9]+$/.test(slackAlerts)) {
        throw new UsageError(`--slack-alerts takes a channel id (C…) or none, not "${slackAlerts}"\nusage: ${usage}`);
      }
      alerts.slack = slackAlerts === 'none' ? undefined : slackAlerts;
    }
    if (discordAlerts !== undefined) {
      if (discordAlerts !== 'none' && !/^\d{15,22}$/.test(discordAlerts)) {
        throw new UsageError(
          `--discord-alerts takes a channel id (a number) or none, not "${discordAlerts}"\nusage: ${usage}`,
        );
      }
      alerts.discord = discordAlerts === 'none' ? undefined : discordAlerts;
    }
    changes.alertChannels = alerts;
  }
  Object.assign(changes, resultsAndSlotsChanges(str, current, usage));
  if (Object.keys(changes).length === 0) throw new UsageError(`nothing to set\nusage: ${usage}`);
  return changes;
}

function describePosters(p: ChatPermissions['posters']): string {
  if (!p || p.kind === 'everyone') return 'everyone';
  return p.kind === 'group' ? `members of user group ${p.id}` : `only ${p.ids.join(', ')}`;
}

/** `hayon workspace show | set`: the workspace's own rules (alt text, default targets, who may post from Slack). */
export const workspaceCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values } = parseFlags(
    rest,
    {
      workspace: { type: 'string' },
      json: { type: 'boolean' },
      'require-alt-text': { type: 'string' },
      'default-targets': { type: 'string' },
      'slack-posters': { type: 'string' },
      'slack-channels': { type: 'string' },
      'discord-role': { type: 'string' },
      'slack-alerts': { type: 'string' },
      'discord-alerts': { type: 'string' },
      'slack-results': { type: 'string' },
      'discord-results': { type: 'string' },
      slots: { type: 'string' },
      timezone: { type: 'string' },
    },
    usage,
  );
  if (sub !== 'show' && sub !== 'set' && sub !== 'callback-secret')
    throw new UsageError(`unknown workspace command "${sub ?? ''}"\nusage: ${usage}`);
  const ctx = await open();
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  if (sub === 'callback-secret') {
    // Derived from HAYON_SECRET_KEY: the same on every process, and it changes with that key.
    io.out(ctx.signing.workspaceSecret(workspaceId));
    io.err('Callbacks of posts made through the API are signed with this secret (X-Hayon-Signature).');
    return 0;
  }
  await ctx.workspaces.ensure(workspaceId);
  const existing = await ctx.workspaces.get(workspaceId);
  const workspace =
    sub === 'set'
      ? await ctx.workspaces.updateSettings(workspaceId, changesFrom(values, existing?.settings ?? {}))
      : existing;
  const s = workspace?.settings ?? {};
  const shown = {
    requireAltText: s.requireAltText ?? false,
    defaultTargets: s.defaultTargets?.length ? s.defaultTargets : 'all connected accounts',
    slack: {
      posters: describePosters(s.slack?.posters),
      channels: s.slack?.channels?.length ? s.slack.channels : 'any',
    },
  };
  if (values.json) {
    io.out(JSON.stringify({ id: workspaceId, name: workspace?.name, settings: s }, null, 2));
    return 0;
  }
  io.out(`${workspaceId}  ${workspace?.name ?? ''}`);
  io.out(`  require alt text on images: ${shown.requireAltText ? 'on' : 'off'}`);
  io.out(`  time zone for chat posts: ${s.timezone ?? 'HAYON_DEFAULT_TIMEZONE'} (Discord members can set their own)`);
  io.out(
    `  default targets: ${Array.isArray(shown.defaultTargets) ? shown.defaultTargets.join(', ') : shown.defaultTargets}`,
  );
  io.out(`  who may post from Slack: ${shown.slack.posters}`);
  io.out(`  Slack channels: ${Array.isArray(shown.slack.channels) ? shown.slack.channels.join(', ') : 'any'}`);
  io.out(
    `  who may post from Discord: ${s.discordPosterRole ? `role ${s.discordPosterRole}` : 'members with Manage Server'}`,
  );
  const alerts = [
    s.alertChannels?.slack && `Slack <#${s.alertChannels.slack}>`,
    s.alertChannels?.discord && `Discord ${s.alertChannels.discord}`,
  ];
  io.out(`  account alerts: ${alerts.filter(Boolean).join(', ') || 'the log only'}`);
  for (const line of describeResultsAndSlots(s)) io.out(line);
  return 0;
};
