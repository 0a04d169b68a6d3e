import { HayonError } from '../../core/errors.js';
import { messageFor } from '../../core/next-step.js';
import { autocomplete } from './commands/autocomplete.js';
import { button } from './commands/buttons.js';
import { hayonCommand } from './commands/hayon.js';
import { postCommand } from './commands/post.js';
import { editSubmitted } from './commands/retry-edit.js';
import { type DiscordDeps, type Handled, type Interaction, reply } from './context.js';

export type { DiscordDeps, Handled, Interaction } from './context.js';
export { postMessage } from '../../notify/discord/message.js';

/**
 * Every interaction, whichever way it came (HTTP endpoint or gateway), goes through here: each
 * command, button and autocomplete in its own file under `commands/`. A thrown HayonError is a
 * private answer saying what is wrong; a 500 never shows its cause.
 */
export async function handleInteraction(deps: DiscordDeps, i: Interaction): Promise<Handled> {
  try {
    switch (i.type) {
      case 1:
        return { response: { type: 1 } };
      case 2:
        if (i.data?.name === 'post') return await postCommand(deps, i);
        if (i.data?.name === 'hayon') return await hayonCommand(deps, i);
        return { response: reply('hayon does not know this command; `hayon discord register` updates them.') };
      case 3:
        return await button(deps, i);
      case 4:
        return { response: { type: 8, data: { choices: await autocomplete(deps, i) } } };
      case 5:
        if ((i.data?.custom_id ?? '').startsWith('hayon:edit-save:')) return await editSubmitted(deps, i);
        return { response: reply('hayon does not know this form.') };
      default:
        return { response: reply('hayon cannot handle this kind of interaction.') };
    }
  } catch (e) {
    const he = HayonError.from(e);
    if (he.status >= 500) deps.log.error({ err: e }, 'discord interaction failed');
    return { response: reply(`:warning: ${messageFor(he, 'discord')}`) };
  }
}
