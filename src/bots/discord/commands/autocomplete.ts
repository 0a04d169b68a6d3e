import { HayonError } from '../../../core/errors.js';
import { whenPreview } from '../../when-preview.js';
import { platformNames } from '../../../core/platform-names.js';
import { type DiscordDeps, type Interaction, options, str, userTimezone } from '../context.js';

export async function autocomplete(deps: DiscordDeps, i: Interaction): Promise<{ name: string; value: string }[]> {
  const focused = [...options(i).values()].find((o) => o.focused);
  const typed = str(focused) ?? '';
  if (focused?.name === 'when') {
    if (!typed.trim()) return [{ name: 'now', value: 'now' }];
    const timezone = await userTimezone(deps, i.member?.user.id ?? '');
    try {
      const { local } = await whenPreview(deps, typed, { timezone, now: deps.clock() });
      return [{ name: `→ ${local}`.slice(0, 100), value: typed.slice(0, 100) }];
    } catch (e) {
      return [{ name: `? ${HayonError.from(e).publicMessage}`.slice(0, 100), value: typed.slice(0, 100) }];
    }
  }
  if (focused?.name === 'targets') {
    const accounts = await deps.accounts.list(deps.workspaceId);
    const done = typed.includes(',') ? `${typed.slice(0, typed.lastIndexOf(',') + 1)}` : '';
    const partial = typed.slice(done.length).trim().toLowerCase();
    return accounts
      .map((a) => ({ label: `${platformNames[a.platform]} ${a.handle}`, value: `${a.platform}:${a.handle}` }))
      .filter((c) => c.value.toLowerCase().includes(partial) || c.label.toLowerCase().includes(partial))
      .slice(0, 25)
      .map((c) => ({ name: `${done}${c.label}`.slice(0, 100), value: `${done}${c.value}`.slice(0, 100) }));
  }
  return [];
}
