/**
 * The services name the request field an error is about (`when`, `targets[0]`, `media[1].url`),
 * as the API does. On the command line the same thing is a flag: this turns the one into the
 * other, per command, so that an error says `--at`, never `when`.
 */
const flagsByCommand: Record<string, Record<string, string>> = {
  post: {
    // The text is the one argument: a refusal about it needs no flag after it.
    text: '',
    targets: '--to',
    when: '--at',
    timezone: '--tz',
    media: '--media',
    thread: '--thread',
    threadCounter: '--no-counter',
    linkPreview: '--no-link-preview',
    workspace: '--workspace',
  },
  posts: {
    postId: '<id>',
    id: '<id>',
    workspace: '--workspace',
    // posts edit: the flags of hayon post, the text as --text.
    text: '--text',
    targets: '--to',
    when: '--at',
    timezone: '--tz',
    media: '--media',
    thread: '--thread',
    threadCounter: '--no-counter',
    linkPreview: '--no-link-preview',
    body: '',
  },
  hooks: {
    source: '--source',
    targets: '--targets',
    template: '--template',
    mediaTemplate: '--media-template',
    name: '--name',
    when: '--when',
    timezone: '--timezone',
    thread: '--thread',
    callbackUrl: '--callback',
    rateLimitPerMinute: '--rate-limit',
    hookId: '<id>',
    workspace: '--workspace',
  },
  accounts: {
    appPassword: '--app-password',
    identifier: '--identifier',
    service: '--service',
    credentials: '--credentials-file',
    instance: '--instance',
    platform: '<platform>',
    workspace: '--workspace',
    // accounts remove
    id: '<id>',
    cancelWaiting: '--cancel-waiting',
  },
  tokens: { name: '--name', scopes: '--scopes', workspace: '--workspace' },
};

/** `targets[1]` → `--to` (its 2nd value); undefined when the command has no flag for the field. */
export function flagForField(command: string, field: string): string | undefined {
  const match = /^([A-Za-z]+)(?:\[(\d+)\])?/.exec(field);
  if (!match?.[1]) return undefined;
  const flag = flagsByCommand[command]?.[match[1]];
  if (flag === undefined || flag === '') return flag;
  const index = match[2] === undefined ? undefined : Number(match[2]) + 1;
  return index === undefined ? flag : `${flag}, value ${index}`;
}

/**
 * An error's sentence and its field as the CLI shows them: a message that starts with the
 * field (`media[0].url: the file is not…`) starts with the flag instead, and the field in
 * brackets after it becomes the flag.
 */
export function cliMessage(command: string, message: string, field: string | undefined): string {
  if (!field) return message;
  const flag = flagForField(command, field);
  if (flag === '') return message;
  if (!flag) return `${message} (${field})`;
  const text = message.startsWith(`${field}:`) ? `${flag}:${message.slice(field.length + 1)}` : message;
  return text.startsWith(`${flag}:`) ? text : `${text} (${flag})`;
}
