import { z } from 'zod';
import { callbackEventSchema } from '../../core/callback-event.js';
import { postViewSchema } from '../../core/post-view.js';
import { maxHookBodyBytes } from '../routes/hooks.js';
import { error, hayonSignatureHeader, rateLimited, retryAfterHeader, signatureScheme } from './responses.js';
import { anyObject, hookIgnoredSchema } from './schemas.js';
import type { OperationSpec, WebhookSpec } from './types.js';

const header = (name: string, description: string) =>
  ({ name, in: 'header', description, schema: { type: 'string' } }) as const;

const hook: OperationSpec = {
  method: 'post',
  path: '/v1/hooks/{hookId}',
  operationId: 'receiveHook',
  tags: ['Webhooks'],
  summary: 'Receive a webhook event',
  description:
    'An event from a CMS or CI, made into a post through the hook’s template (hooks are made with `hayon hooks ' +
    'create`, which prints the URL and the secret once). No bearer token: the signature is the authentication. ' +
    'By source: **generic** and **wordpress** sign with X-Hayon-Signature and may send Idempotency-Key; **github** ' +
    'signs with X-Hub-Signature-256 and sends X-GitHub-Event and X-GitHub-Delivery (a published release makes a ' +
    'post, other events and actions are answered 202 ignored); **ghost** signs with X-Ghost-Signature ' +
    '(post.published). The source’s event id is the idempotency key, so a repeated delivery answers the post made ' +
    'the first time.',
  parameters: [
    {
      name: 'hookId',
      in: 'path',
      description: 'The hook’s id (hk_…), the last part of its URL.',
      schema: { type: 'string' },
    },
    header('X-Hayon-Signature', `generic, wordpress: ${signatureScheme}`),
    header('Idempotency-Key', 'generic, wordpress: the event’s id; a repeated key answers the first post (200).'),
    header('X-Hub-Signature-256', 'github: sha256=<hex HMAC-SHA256(secret, raw body)>.'),
    header('X-GitHub-Event', 'github: the event’s name; release (action published) makes a post.'),
    header('X-GitHub-Delivery', 'github: the delivery’s id, the idempotency key.'),
    header('X-Ghost-Signature', 'ghost: sha256=<hex HMAC-SHA256(secret, raw body + t)>, t=<unix ms>.'),
  ],
  requestBody: {
    description: `The source’s JSON payload (at most ${maxHookBodyBytes / 1024 / 1024} MiB).`,
    schema: anyObject,
    contentTypes: ['application/json'],
    required: true,
  },
  responses: {
    '202': {
      description: 'A new post (Post), or an event that makes none ({ ignored: true, reason }).',
      schema: z.union([postViewSchema, hookIgnoredSchema]),
    },
    '200': {
      description: 'A repeated delivery of the same event: the post made the first time.',
      schema: postViewSchema,
    },
    '400': error('Malformed JSON, or a payload without what the source needs (error.field names it).'),
    '401': error('The signature is missing, does not match, or its timestamp is more than 5 minutes away.'),
    '403': error('The hook is disabled (`hayon hooks enable <id>` turns it back on).'),
    '404': error('No hook with this id.'),
    '413': error(`The body is larger than ${maxHookBodyBytes / 1024 / 1024} MiB.`),
    '422': error('The hook’s template uses a field this payload lacks (error.code template_field_missing).'),
    '429': rateLimited('More events than the hook’s rate limit allows in the last minute.'),
    '503': error(
      'The store cannot be reached or cannot write now (error.code store_unavailable): nothing was saved. The ' +
        'sender retries after Retry-After seconds; the event’s id makes the retry the same post.',
      { 'Retry-After': retryAfterHeader },
    ),
  },
};

const slack: OperationSpec = {
  method: 'post',
  path: '/slack/events',
  operationId: 'slackEvents',
  tags: ['Chat'],
  summary: 'Slack requests',
  description:
    'Slash commands, interactivity (buttons, modals) and events from Slack, over HTTP. Present only when Slack is ' +
    'configured without Socket Mode (HAYON_SLACK_BOT_TOKEN and HAYON_SLACK_SIGNING_SECRET). Slack signs each ' +
    'request with the app’s signing secret; the answer is what Slack expects, within 3 seconds.',
  parameters: [
    header('X-Slack-Signature', 'v0=<hex HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>")>.'),
    header('X-Slack-Request-Timestamp', 'Unix seconds; refused when more than 5 minutes away.'),
  ],
  requestBody: {
    description: 'As Slack sends it: a form (slash commands, payload=<JSON> for interactivity) or JSON (events).',
    schema: anyObject,
    contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
    required: true,
  },
  responses: {
    '200': { description: 'Acknowledged; the body, if any, is Slack’s (a url_verification challenge, a message).' },
    '400': error('A body that is neither a form nor JSON Slack would send.'),
    '401': error('The signature is missing or does not match, or the timestamp is stale.'),
    '413': error('A body larger than Slack sends.'),
  },
};

const discord: OperationSpec = {
  method: 'post',
  path: '/discord/interactions',
  operationId: 'discordInteractions',
  tags: ['Chat'],
  summary: 'Discord interactions',
  description:
    'Slash commands, buttons and modals from Discord’s HTTP interactions endpoint. Present only when Discord is ' +
    'configured with the application’s public key (HAYON_DISCORD_PUBLIC_KEY); without it hayon uses the gateway.',
  parameters: [
    header('X-Signature-Ed25519', 'Hex Ed25519 signature of timestamp + raw body, by the application’s key.'),
    header('X-Signature-Timestamp', 'The timestamp signed with the body.'),
  ],
  requestBody: {
    description: 'The interaction, as Discord sends it.',
    schema: anyObject,
    contentTypes: ['application/json'],
    required: true,
  },
  responses: {
    '200': { description: 'The interaction response (a deferred reply, a message, a modal).', schema: anyObject },
    '400': error('A body that is not JSON.'),
    '401': error('Invalid request signature.'),
    '413': error('A body larger than Discord sends.'),
  },
};

/** What comes in signed instead of with a token: webhooks and the chat apps. */
export const inboundOperations: readonly OperationSpec[] = [hook, slack, discord];

/** What hayon sends: each delivery outcome to a post's `callbackUrl`. */
export const webhookOperations: readonly WebhookSpec[] = [
  {
    name: 'callbackEvent',
    method: 'post',
    operationId: 'callbackEvent',
    tags: ['Webhooks'],
    summary: 'A post’s outcome, sent to its callbackUrl',
    description:
      'hayon POSTs one event per delivery outcome (published, a retry to come, failed for good), then post.finished ' +
      'once every delivery is done. Signed with the hook’s secret for posts from a webhook, or the workspace’s ' +
      'callback secret for API posts. Every attempt sends the same body and X-Hayon-Event-Id (with a fresh ' +
      'signature): drop an id already seen. Answer 2xx; anything else, or no answer within 10 s, is retried with ' +
      'backoff for up to 24 hours. 410 Gone stops the retries.',
    parameters: [
      { name: 'X-Hayon-Signature', in: 'header', required: true, ...hayonSignatureHeader },
      {
        name: 'X-Hayon-Event-Id',
        in: 'header',
        required: true,
        description: 'The event’s id, the same on every attempt (also the body’s id).',
        schema: { type: 'string' },
      },
    ],
    requestBody: { schema: callbackEventSchema, contentTypes: ['application/json'], required: true },
    responses: {
      '2XX': { description: 'Received; hayon sends this event no more.' },
      '410': { description: 'Gone: hayon stops sending this event.' },
      default: { description: 'Anything else (or no answer in 10 s): retried with backoff for up to 24 hours.' },
    },
  },
];
