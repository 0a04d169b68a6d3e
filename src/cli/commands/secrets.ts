import { cliActor } from '../actor.js';
import { type Command, parseFlags, UsageError } from '../io.js';

export const usage = 'hayon secrets rotate';

/**
 * `hayon secrets rotate`: after setting a new `HAYON_SECRET_KEY` with the old one in
 * `HAYON_SECRET_KEY_PREVIOUS`, seals every account's credentials and every hook's secret with
 * the new key, so that the old one can be removed. Exit 2, naming each, when something opens
 * with no key (it is left as it was).
 */
export const secretsCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  parseFlags(rest, {}, usage);
  if (sub !== 'rotate') throw new UsageError(`unknown secrets command "${sub ?? ''}"\nusage: ${usage}`);
  const ctx = await open();
  const report = await ctx.secretRotation.rotate(cliActor());
  const { accounts, hooks, unreadable } = report;
  const previous = (n: number) => (n ? ` (${n} had been sealed with a previous key)` : '');
  io.out(`accounts: ${accounts.resealed} re-encrypted with the current HAYON_SECRET_KEY${previous(accounts.stale)}`);
  io.out(`hooks:    ${hooks.resealed} re-encrypted with the current HAYON_SECRET_KEY${previous(hooks.stale)}`);
  const apps = report.oauthApps;
  io.out(`oauth:    ${apps.resealed} registered app secrets re-encrypted${previous(apps.stale)}`);
  if (unreadable.length) {
    for (const u of unreadable) {
      io.err(
        `hayon: the ${u.kind} ${u.id} (workspace ${u.workspaceId}) cannot be decrypted with HAYON_SECRET_KEY ` +
          'nor any key in HAYON_SECRET_KEY_PREVIOUS: add the key it was sealed with to HAYON_SECRET_KEY_PREVIOUS ' +
          `and run this again, or ${{ account: 'connect the account again', hook: 'hayon hooks rotate-secret it', 'oauth app': 'remove it so that hayon registers again' }[u.kind]}.`,
      );
    }
    io.err(`${unreadable.length} left as they were. Keep HAYON_SECRET_KEY_PREVIOUS until this passes.`);
    return 2;
  }
  io.err('Everything is sealed with the current key: HAYON_SECRET_KEY_PREVIOUS can be removed.');
  return 0;
};
