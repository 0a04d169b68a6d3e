import fs from 'node:fs';
import { AppContext, type CliContext } from '../app/app-context.js';
import { type Config, ConfigError, envToConfig } from '../config/config.js';
import { readEnv } from '../config/env.js';
import { envToSecrets, type Secrets } from '../config/secrets.js';
import { HayonError } from '../core/errors.js';
import { accountsCommand } from './commands/accounts.js';
import { postCommand } from './commands/post.js';
import { postsCommand } from './commands/posts.js';
import { queueCommand } from './commands/queue.js';
import { serveCommand, workerCommand } from './commands/serve.js';
import { discordCommand } from './commands/discord.js';
import { hooksCommand } from './commands/hooks.js';
import { auditCommand } from './commands/audit.js';
import { secretsCommand } from './commands/secrets.js';
import { tokensCommand } from './commands/tokens.js';
import { workspaceCommand } from './commands/workspace.js';
import { type CliIo, type Command, UsageError } from './io.js';

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
} satisfies Record<string, Command>;

const help = `hayon: publish to social platforms from chat, webhooks and the command line

  hayon serve [--no-worker] [--port N]     HTTP API, scheduler and worker (SQLite in ./data)
  hayon worker                             a worker beside \`serve --no-worker\`
  hayon post "<text>" --to bluesky [--at "tomorrow 9am"] [--tz Europe/Berlin] [--media URL|FILE --alt TEXT]
  hayon posts show <id> [--log] | list | cancel <id>
  hayon accounts add bluesky --identifier HANDLE --app-password PASSWORD [--service URL]
  hayon accounts connect mastodon|bluesky|tumblr|threads|instagram|facebook [--instance mastodon.social]
                                           a link to connect an account in a browser
  hayon accounts list | check
  hayon tokens create --name NAME [--scopes posts:write,posts:read,accounts:manage]
  hayon tokens list [--json] | revoke <id>
  hayon audit [--limit 50] [--json]       who made, cancelled, replayed and connected what
  hayon secrets rotate                     re-encrypt everything with the current HAYON_SECRET_KEY
  hayon hooks create --source github|ghost|wordpress|generic --targets ... [--template '{{title}} {{url}}']
  hayon hooks list | show | enable | disable | rotate-secret | delete <id>
  hayon queue status | replay-parked       deliveries per state and platform; broker queues, parking lot
  hayon discord register [--guild ID]      send /post and /hayon to Discord
  hayon workspace show | set [--require-alt-text on|off] [--default-targets ...] [--slack-posters ...]
  hayon workspace callback-secret          the secret that signs callbacks of API posts

Configuration is by HAYON_* environment variables (see README).`;

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
};

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failure, 2 bad usage or input). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(help);
    return name ? 0 : 2;
  }
  const command = (commands as Record<string, Command>)[name];
  if (!command) {
    io.err(`hayon: unknown command "${name}"\n\n${help}`);
    return 2;
  }
  let ctx: CliContext | undefined;
  /** Builds a context from the environment, once (a command opens one kind); `serve` and `worker` dispose theirs when they stop. */
  const once = async <C extends CliContext>(build: (config: Config, secrets: Secrets) => Promise<C>): Promise<C> => {
    if (ctx) return ctx as C;
    const env = readEnv(io.env);
    const config = envToConfig(env, io.cwd);
    if (config.store.kind === 'sqlite') fs.mkdirSync(config.dataDir, { recursive: true });
    // CLI commands other than serve/worker log only warnings, keeping their output readable.
    const quiet = name !== 'serve' && name !== 'worker' && !env.logLevel;
    const built = await build({ ...config, logLevel: quiet ? 'warn' : config.logLevel }, envToSecrets(env, config));
    ctx = built;
    return built;
  };
  const open = () => once((config, secrets) => AppContext.forCli(config, secrets));
  const openServe = () => once((config, secrets) => AppContext.fromConfig(config, secrets));
  const openWorker = () => once((config, secrets) => AppContext.forWorker(config, secrets));
  try {
    return await command({ args, io, open, openServe, openWorker });
  } catch (e) {
    return reportError(e, io);
  } finally {
    if (ctx && name !== 'serve' && name !== 'worker') await ctx.dispose();
  }
}

function reportError(e: unknown, io: CliIo): number {
  if (e instanceof UsageError || e instanceof ConfigError) {
    io.err(`hayon: ${e.message}`);
    return 2;
  }
  const he = HayonError.from(e);
  if (he.isClientError) {
    io.err(`hayon: ${he.publicMessage}${he.field ? ` (${he.field})` : ''}`);
    return 2;
  }
  io.err(`hayon: ${he.code === 'internal' ? (e instanceof Error ? e.message : String(e)) : he.publicMessage}`);
  return 1;
}
