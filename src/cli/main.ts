import fs from 'node:fs';
import { AppContext, type CliContext } from '../app/app-context.js';
import { type Config, ConfigError, envToConfig } from '../config/config.js';
import { readEnv } from '../config/env.js';
import { envToSecrets, type Secrets } from '../config/secrets.js';
import { HayonError } from '../core/errors.js';
import { nextStepText } from '../core/next-step.js';
import { cliMessage } from './field-flags.js';
import { accountsCommand, usage as accountsUsage } from './commands/accounts.js';
import { postCommand, postUsage } from './commands/post.js';
import { postsCommand, usage as postsUsage } from './commands/posts.js';
import { queueCommand, usage as queueUsage } from './commands/queue.js';
import { serveCommand, serveUsage, workerCommand, workerUsage } from './commands/serve.js';
import { discordCommand, usage as discordUsage } from './commands/discord.js';
import { hooksCommand, usage as hooksUsage } from './commands/hooks.js';
import { auditCommand, usage as auditUsage } from './commands/audit.js';
import { secretsCommand, usage as secretsUsage } from './commands/secrets.js';
import { tokensCommand, usage as tokensUsage } from './commands/tokens.js';
import { usage as webUsage, webCommand } from './commands/web.js';
import { workspaceCommand, usage as workspaceUsage } from './commands/workspace.js';
import { asksForHelp, type CliIo, type Command, UsageError } from './io.js';

const commands = {
  serve: serveCommand,
  worker: workerCommand,
  post: postCommand,
  posts: postsCommand,
  accounts: accountsCommand,
  tokens: tokensCommand,
  queue: queueCommand,
  workspace: workspaceCommand,
  discord: discordCommand,
  hooks: hooksCommand,
  audit: auditCommand,
  secrets: secretsCommand,
  web: webCommand,
} satisfies Record<string, Command>;

/** What `hayon help <command>` and `hayon <command> --help` print: each command's own usage. */
const usages = {
  serve: serveUsage,
  worker: workerUsage,
  post: postUsage,
  posts: postsUsage,
  accounts: accountsUsage,
  tokens: tokensUsage,
  queue: queueUsage,
  workspace: workspaceUsage,
  discord: discordUsage,
  hooks: hooksUsage,
  audit: auditUsage,
  secrets: secretsUsage,
  web: webUsage,
} satisfies Record<keyof typeof commands, string>;

const help = `hayon: publish to social platforms from chat, webhooks and the command line

  hayon serve [--no-worker] [--port N]     HTTP API, scheduler and worker (SQLite in ./data)
  hayon worker                             a worker beside \`serve --no-worker\`
  hayon post "<text>" --to bluesky [--at "tomorrow 9am"] [--tz Europe/Berlin] [--media URL|FILE --alt TEXT]
  hayon posts show <id> [--log] | list | cancel <id>
  hayon posts retry <id>                   send its failed deliveries again (same keys: never twice)
  hayon posts edit <id> [--text …] [--at …] [--to …] [--media …]   change what has not started publishing
  hayon posts delete <id>                  cancel what waits, delete what was published where the platform allows
  hayon accounts add bluesky --identifier HANDLE --app-password PASSWORD [--service URL]
  hayon accounts connect mastodon|bluesky|tumblr|threads|instagram|facebook [--instance mastodon.social]
                                           a link to connect an account in a browser
  hayon accounts list | check
  hayon accounts remove <id> [--cancel-waiting]   remove an account (refused while its posts wait)
  hayon tokens create --name NAME [--scopes posts:write,posts:read,accounts:manage]
  hayon tokens list [--json] | revoke <id>
  hayon web login [--workspace W]         a link that signs a browser in to the web page, once, within 15 min
  hayon audit [--limit 50] [--json]       who made, cancelled, replayed and connected what
  hayon secrets rotate                     re-encrypt everything with the current HAYON_SECRET_KEY
  hayon hooks create --source github|ghost|wordpress|generic --targets ... [--template '{{title}} {{url}}']
  hayon hooks list | show | enable | disable | rotate-secret | delete <id>
  hayon queue status | replay-parked       deliveries per state and platform; broker queues, parking lot
  hayon discord register [--guild ID]      send /post and /hayon to Discord
  hayon workspace show | set [--require-alt-text on|off] [--default-targets ...] [--slack-posters ...]
  hayon workspace callback-secret          the secret that signs callbacks of API posts

  hayon help <command>                     one command's usage (or hayon <command> --help)

Configuration is by HAYON_* environment variables (see README); data in HAYON_DATA_DIR, else ./data.`;

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
};

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failure, 2 bad usage or input). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || (name === 'help' && !args[0])) {
    io.out(help);
    return name ? 0 : 2;
  }
  const asked = name === 'help' ? (args[0] ?? '') : name;
  const command = Object.hasOwn(commands, asked) ? (commands as Record<string, Command>)[asked] : undefined;
  if (!command) {
    io.err(`hayon: unknown command "${asked}"\n\n${help}`);
    return 2;
  }
  if (name === 'help' || asksForHelp(args)) {
    io.out(`usage: ${(usages as Record<string, string>)[asked]}`);
    return 0;
  }
  let ctx: CliContext | undefined;
  /** Builds a context from the environment, once (a command opens one kind); `serve` and `worker` dispose theirs when they stop. */
  const once = async <C extends CliContext>(
    build: (config: Config, secrets: Secrets) => Promise<C>,
    port?: number,
  ): Promise<C> => {
    if (ctx) return ctx as C;
    // `serve --port N` is HAYON_PORT=N for this run: the printed and signed URLs follow it too.
    const env = { ...readEnv(io.env), ...(port !== undefined ? { port: String(port) } : {}) };
    const config = envToConfig(env, io.cwd);
    const onDisk = config.store.kind === 'sqlite' || config.mediaStore.kind === 'disk';
    if (onDisk && !fs.existsSync(config.dataDir)) {
      io.err(
        `hayon: starting a new, empty data directory at ${config.dataDir} (HAYON_DATA_DIR, else ./data here); ` +
          'set HAYON_DATA_DIR to use another.',
      );
    }
    if (config.store.kind === 'sqlite') fs.mkdirSync(config.dataDir, { recursive: true });
    // CLI commands other than serve/worker log only warnings, keeping their output readable.
    const quiet = name !== 'serve' && name !== 'worker' && !env.logLevel;
    const built = await build({ ...config, logLevel: quiet ? 'warn' : config.logLevel }, envToSecrets(env, config));
    ctx = built;
    return built;
  };
  const open = () =>
    once(async (config, secrets) => {
      const cli = await AppContext.forCli(config, secrets);
      // The default workspace exists from the first command: what needs an account says which.
      await cli.workspaces.ensure();
      return cli;
    });
  const openServe = (port?: number) => once((config, secrets) => AppContext.fromConfig(config, secrets), port);
  const openWorker = () => once((config, secrets) => AppContext.forWorker(config, secrets));
  try {
    return await command({ args, io, open, openServe, openWorker });
  } catch (e) {
    return reportError(e, io, name);
  } finally {
    if (ctx && name !== 'serve' && name !== 'worker') await ctx.dispose();
  }
}

/** A refusal in the CLI's words: flags, not the API's field names; its next step as a flag too. */
function reportError(e: unknown, io: CliIo, command: string): number {
  if (e instanceof UsageError || e instanceof ConfigError) {
    io.err(`hayon: ${e.message}`);
    return 2;
  }
  const he = HayonError.from(e);
  if (he.isClientError) {
    const next = nextStepText(he, 'cli');
    io.err(`hayon: ${cliMessage(command, he.publicMessage, he.field)}${next ? ` ${next}` : ''}`);
    return 2;
  }
  io.err(`hayon: ${he.code === 'internal' ? (e instanceof Error ? e.message : String(e)) : he.publicMessage}`);
  return 1;
}
