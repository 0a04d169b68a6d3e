/**
 * hayon's application commands, as `hayon discord register` sends them (Discord's JSON shape:
 * option type 3 string, 5 boolean, 8 role, 11 attachment; 1 subcommand).
 */
const string = 3;
const boolean = 5;
const role = 8;
const attachment = 11;
const subcommand = 1;

const images = [1, 2, 3, 4].flatMap((n) => [
  { type: attachment, name: `image${n}`, description: `Image or video ${n}`, required: false },
  { type: string, name: `alt${n}`, description: `Alt text for image ${n}`, required: false, max_length: 1500 },
]);

export const discordCommands = [
  {
    name: 'post',
    description: 'Publish to your social accounts, now or later',
    dm_permission: false,
    options: [
      { type: string, name: 'text', description: 'What to post', required: true, max_length: 4000 },
      {
        type: string,
        name: 'when',
        description: 'now, in 2 hours, tomorrow 9am…',
        required: false,
        autocomplete: true,
      },
      {
        type: string,
        name: 'targets',
        description: 'bluesky, mastodon:@me@… (default: the usual set)',
        required: false,
        autocomplete: true,
      },
      ...images,
      {
        type: boolean,
        name: 'link_preview',
        description: 'Show a card of the first link when there are no images (default: yes)',
        required: false,
      },
      {
        type: boolean,
        name: 'thread',
        description: 'Split a text too long for a platform into a thread there (default: no)',
        required: false,
      },
    ],
  },
  {
    name: 'hayon',
    description: 'hayon: status, accounts, your time zone, the web page, help',
    dm_permission: false,
    options: [
      { type: subcommand, name: 'status', description: "This channel's scheduled posts" },
      { type: subcommand, name: 'accounts', description: 'Connected accounts and their health' },
      {
        type: subcommand,
        name: 'timezone',
        description: 'Set your time zone for /post',
        options: [{ type: string, name: 'zone', description: 'An IANA zone such as Europe/Berlin', required: true }],
      },
      {
        type: subcommand,
        name: 'role',
        description: 'Who may post (needs Manage Server)',
        options: [{ type: role, name: 'role', description: 'Members with this role may post', required: true }],
      },
      {
        type: subcommand,
        name: 'connect',
        description: 'A link to connect an account (needs Manage Server)',
        options: [
          {
            type: string,
            name: 'platform',
            description: 'Where the account is',
            required: true,
            choices: [
              { name: 'Mastodon', value: 'mastodon' },
              { name: 'Bluesky', value: 'bluesky' },
              { name: 'Tumblr', value: 'tumblr' },
              { name: 'Facebook Page', value: 'facebook' },
              { name: 'Instagram', value: 'instagram' },
              { name: 'Threads', value: 'threads' },
            ],
          },
          { type: string, name: 'server', description: 'Mastodon: your server, like mastodon.social', required: false },
        ],
      },
      { type: subcommand, name: 'web', description: 'A link that signs you in to the web page (only you see it)' },
      { type: subcommand, name: 'help', description: 'How to use hayon' },
    ],
  },
] as const;
