import { defaultWorkspaceId } from '../../accounts/accounts-service.js';
import type { WorkspaceSettings } from '../../core/post.js';
import { type Command, parseFlags, UsageError } from '../io.js';

const usage = `hayon workspace show [--workspace W] [--json]
       hayon workspace set --require-alt-text on|off [--workspace W]`;

function onOff(value: string, flag: string): boolean {
  if (['on', 'true', 'yes'].includes(value)) return true;
  if (['off', 'false', 'no'].includes(value)) return false;
  throw new UsageError(`${flag} takes on or off, not "${value}"\nusage: ${usage}`);
}

/** `hayon workspace show | set`: the workspace's own rules (alt text required on images). */
export const workspaceCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values } = parseFlags(
    rest,
    { workspace: { type: 'string' }, json: { type: 'boolean' }, 'require-alt-text': { type: 'string' } },
    usage,
  );
  if (sub !== 'show' && sub !== 'set')
    throw new UsageError(`unknown workspace command "${sub ?? ''}"\nusage: ${usage}`);
  const changes: WorkspaceSettings = {};
  if (sub === 'set') {
    const alt = values['require-alt-text'];
    if (alt === undefined) throw new UsageError(`nothing to set\nusage: ${usage}`);
    changes.requireAltText = onOff(alt, '--require-alt-text');
  }
  const ctx = await open();
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  await ctx.accounts.ensureWorkspace(workspaceId, workspaceId === defaultWorkspaceId ? 'Default' : workspaceId);
  const workspace =
    sub === 'set'
      ? await ctx.store.updateWorkspaceSettings(workspaceId, changes)
      : await ctx.store.getWorkspace(workspaceId);
  const settings = { requireAltText: workspace?.settings?.requireAltText ?? false };
  if (values.json) io.out(JSON.stringify({ id: workspaceId, name: workspace?.name, settings }, null, 2));
  else {
    io.out(`${workspaceId}  ${workspace?.name ?? ''}`);
    io.out(`  require alt text on images: ${settings.requireAltText ? 'on' : 'off'}`);
  }
  return 0;
};
