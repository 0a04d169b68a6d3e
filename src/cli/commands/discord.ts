import { discordCommands } from '../../bots/discord/command-definitions.js';
import { type Command, parseFlags, UsageError } from '../io.js';

export const usage = 'hayon discord register [--guild GUILD_ID]';

/**
 * `hayon discord register`: sends /post and /hayon to Discord, for every server (global commands
 * take up to an hour to appear) or for one server at once (`--guild`).
 */
export const discordCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values } = parseFlags(rest, { guild: { type: 'string' } }, usage);
  if (sub !== 'register') throw new UsageError(`unknown discord command "${sub ?? ''}"\nusage: ${usage}`);
  if (values.guild !== undefined && !/^\d{15,22}$/.test(values.guild)) {
    throw new UsageError(`--guild takes a server id (a number), not "${values.guild}"\nusage: ${usage}`);
  }
  const ctx = await open();
  if (!ctx.discordApi) {
    throw new UsageError('Discord is not configured: set HAYON_DISCORD_TOKEN and HAYON_DISCORD_APP_ID first.');
  }
  await ctx.discordApi.register(discordCommands, values.guild);
  io.out(
    values.guild
      ? `Registered /post and /hayon in server ${values.guild}.`
      : 'Registered /post and /hayon for every server (they can take up to an hour to appear).',
  );
  return 0;
};
