import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import type { Hook } from '../../core/hook.js';
import { cliActor } from '../actor.js';
import { type Command, notePublicUrl, parseFlags, required, UsageError } from '../io.js';

export const usage = `hayon hooks create --source github|ghost|wordpress|generic --targets bluesky,mastodon
                         [--template '{{title}} {{url}}'] [--media-template '{{image?}}'] [--name NAME]
                         [--when 'in 10 minutes'] [--timezone Europe/Berlin] [--thread auto|off]
                         [--callback https://…] [--rate-limit N] [--workspace W]
       hayon hooks list [--json] | show <id> | enable <id> | disable <id> | rotate-secret <id> | delete <id>`;

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function describe(hook: Hook, url: string): string[] {
  return [
    `${hook.id}  ${hook.enabled ? 'enabled' : 'DISABLED'}  ${hook.source}  "${hook.name}"`,
    `  url:       ${url}`,
    `  targets:   ${hook.targets.join(', ')}${hook.when ? `  when: ${hook.when}` : ''}`,
    `  template:  ${JSON.stringify(hook.template)}`,
    ...(hook.mediaTemplate ? [`  media:     ${JSON.stringify(hook.mediaTemplate)}`] : []),
    ...(hook.callbackUrl ? [`  callback:  ${hook.callbackUrl}`] : []),
    `  last used: ${hook.lastUsedAt ? new Date(hook.lastUsedAt).toISOString() : 'never'}`,
  ];
}

/**
 * `hayon hooks`: incoming webhooks. `create` checks everything a first event needs (template,
 * targets, time, callback URL) and prints the URL and the secret, once.
 */
export const hooksCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(
    rest,
    {
      source: { type: 'string' },
      targets: { type: 'string' },
      template: { type: 'string' },
      'media-template': { type: 'string' },
      name: { type: 'string' },
      when: { type: 'string' },
      timezone: { type: 'string' },
      thread: { type: 'string' },
      callback: { type: 'string' },
      'rate-limit': { type: 'string' },
      workspace: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  const id = () => required(positionals[0], '<id>', usage);
  switch (sub) {
    case 'create': {
      const source = required(values.source, '--source', usage);
      const targets = list(required(values.targets, '--targets', usage));
      const rate = values['rate-limit'];
      if (rate !== undefined && !/^\d+$/.test(rate))
        throw new UsageError(`--rate-limit takes a whole number\nusage: ${usage}`);
      const ctx = await open();
      const { hook, secret, url } = await ctx.hooks.create(
        workspaceId,
        {
          source,
          targets,
          ...(values.template !== undefined ? { template: values.template } : {}),
          ...(values['media-template'] !== undefined ? { mediaTemplate: values['media-template'] } : {}),
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values.when !== undefined ? { when: values.when } : {}),
          ...(values.timezone !== undefined ? { timezone: values.timezone } : {}),
          ...(values.thread !== undefined ? { thread: values.thread } : {}),
          ...(values.callback !== undefined ? { callbackUrl: values.callback } : {}),
          ...(rate !== undefined ? { rateLimitPerMinute: Number(rate) } : {}),
        },
        cliActor(),
      );
      if (values.json) {
        io.out(JSON.stringify({ id: hook.id, url, secret }));
      } else {
        io.out(`url:    ${url}`);
        io.out(`secret: ${secret}`);
      }
      io.err(
        `Webhook ${hook.id} (${hook.source}) for workspace ${workspaceId}. The secret is shown once: keep it now.`,
      );
      notePublicUrl(io, ctx.config);
      return 0;
    }
    case 'list': {
      const ctx = await open();
      const hooks = await ctx.hooks.list(workspaceId);
      if (values.json) {
        io.out(JSON.stringify(hooks.map(({ secret: _sealed, ...hook }) => ({ ...hook, url: ctx.hooks.url(hook.id) }))));
      } else if (hooks.length === 0) {
        io.out('No webhooks yet (hayon hooks create --source … --targets …).');
      } else {
        for (const hook of hooks) for (const line of describe(hook, ctx.hooks.url(hook.id))) io.out(line);
      }
      return 0;
    }
    case 'show': {
      const ctx = await open();
      const hook = await ctx.hooks.get(workspaceId, id());
      for (const line of describe(hook, ctx.hooks.url(hook.id))) io.out(line);
      return 0;
    }
    case 'enable':
    case 'disable': {
      const ctx = await open();
      const hook = await ctx.hooks.setEnabled(workspaceId, id(), sub === 'enable', cliActor());
      io.out(`${hook.id} ${hook.enabled ? 'enabled' : 'disabled'}`);
      return 0;
    }
    case 'rotate-secret': {
      const ctx = await open();
      const secret = await ctx.hooks.rotateSecret(workspaceId, id(), cliActor());
      io.out(`secret: ${secret}`);
      io.err('The old secret no longer works. The new one is shown once: keep it now.');
      return 0;
    }
    case 'delete': {
      const ctx = await open();
      await ctx.hooks.delete(workspaceId, id(), cliActor());
      io.out(`${positionals[0]} deleted`);
      return 0;
    }
    default:
      throw new UsageError(`unknown hooks command "${sub ?? ''}"\nusage: ${usage}`);
  }
};
