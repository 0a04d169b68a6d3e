import { accountRemovedSchema } from '../routes/accounts.js';
import { connectLinkRequestSchema, connectLinkSchema } from '../routes/connect-links.js';
import { bearer, error, missingScope, tokenErrors } from './responses.js';
import type { OperationSpec, ParameterSpec } from './types.js';

const platform: ParameterSpec = {
  name: 'platform',
  in: 'path',
  description: 'mastodon or bluesky, and tumblr, threads, instagram, facebook when their apps are configured.',
  schema: { type: 'string' },
};
const state: ParameterSpec = {
  name: 'state',
  in: 'query',
  description: 'The flow’s signed, single-use state (<id>.<hmac>), as hayon put it in the link.',
  schema: { type: 'string' },
};
const html = (description: string) => ({ description, schema: { type: 'string' }, contentTypes: ['text/html'] });
const refused = html(
  'A page saying why nothing was connected: a forged, altered, reused or expired state (403), a refusal by the ' +
    'platform or bad input (400, 401), no connect flow for the platform (404).',
);

/** Connecting accounts: the link a tool asks for, and the browser side of the flow. */
export const accountOperations: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/connect/{platform}',
    operationId: 'connectLink',
    tags: ['Accounts'],
    summary: 'A link to connect an account',
    description:
      'A link a person opens in a browser to connect an account of the token’s workspace (OAuth, or a form for ' +
      'Bluesky app passwords). It works once and expires after 15 minutes. Needs the accounts:manage scope.',
    security: bearer,
    parameters: [platform],
    requestBody: { schema: connectLinkRequestSchema, contentTypes: ['application/json'], required: false },
    responses: {
      '201': { description: 'The link and when it expires.', schema: connectLinkSchema },
      '400': error('A request body that is not `{ instance? }` (error.field names it).'),
      '401': tokenErrors['401'],
      '403': missingScope('accounts:manage'),
      '404': error('hayon has no connect flow for this platform (the message lists those it has).'),
      '429': tokenErrors['429'],
    },
  },
  {
    method: 'delete',
    path: '/v1/accounts/{id}',
    operationId: 'removeAccount',
    tags: ['Accounts'],
    summary: 'Remove an account',
    description:
      'Removes a connected account of the token’s workspace and its credentials (as `hayon accounts remove`). ' +
      'Refused while deliveries for it wait (scheduled, queued, being published): the 409 names each post and its ' +
      'time; `?cancelWaiting=true` cancels them and removes the account. Published posts stay as they are (delete ' +
      'them first with `DELETE /v1/posts/{id}` if they should go too). Needs the accounts:manage scope.',
    security: bearer,
    parameters: [
      { name: 'id', in: 'path', description: 'The account’s id (`hayon accounts list`).', schema: { type: 'string' } },
      {
        name: 'cancelWaiting',
        in: 'query',
        description: 'true: cancel the account’s waiting deliveries and remove it. Default false.',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    ],
    responses: {
      '200': {
        description: 'The account removed, and how many waiting deliveries were cancelled.',
        schema: accountRemovedSchema,
      },
      '400': error('cancelWaiting is neither true nor false (error.field cancelWaiting).'),
      '401': tokenErrors['401'],
      '403': missingScope('accounts:manage'),
      '404': error('No account with this id in the token’s workspace.'),
      '409': error(
        'Deliveries for it wait (error.field cancelWaiting; the message names each post id and time and ' +
          '`?cancelWaiting=true`), or one is being published right now; nothing was removed.',
      ),
      '429': tokenErrors['429'],
    },
  },
  {
    method: 'get',
    path: '/connect/{platform}/start',
    operationId: 'connectStart',
    tags: ['Accounts'],
    summary: 'Start connecting (browser)',
    description:
      'Where a connect link points: redirects to the platform’s consent screen (Mastodon: after registering hayon ' +
      'on the instance once, with PKCE), or shows a form (Bluesky; Mastodon without an instance).',
    parameters: [
      platform,
      state,
      {
        name: 'workspace',
        in: 'query',
        description: 'The workspace the link was made for.',
        schema: { type: 'string' },
      },
      { name: 'instance', in: 'query', description: 'Mastodon: the server.', schema: { type: 'string' } },
    ],
    responses: {
      '302': { description: 'To the platform’s consent screen.' },
      '200': html('A form (Bluesky handle and app password; a Mastodon server).'),
      '400': refused,
      '403': refused,
      '404': refused,
    },
  },
  {
    method: 'get',
    path: '/connect/{platform}/callback',
    operationId: 'connectCallback',
    tags: ['Accounts'],
    summary: 'The platform’s answer (browser)',
    description:
      'Where the platform sends the browser back with `code` and `state` (or `error`). The credentials are checked ' +
      'with the platform and the account is stored; several accounts to pick from (blogs, pages) show a choice.',
    parameters: [
      platform,
      state,
      { name: 'code', in: 'query', description: 'The authorization code.', schema: { type: 'string' } },
    ],
    responses: {
      '200': html('Connected (the accounts are named), or the choice of accounts.'),
      '400': refused,
      '401': refused,
      '403': refused,
      '404': refused,
    },
  },
  {
    method: 'post',
    path: '/connect/{platform}/callback',
    operationId: 'connectForm',
    tags: ['Accounts'],
    summary: 'A connect form’s answer (browser)',
    description: 'The Bluesky form: `state`, `handle`, `appPassword` (form-encoded).',
    parameters: [platform],
    responses: { '200': html('Connected.'), '400': refused, '401': refused, '403': refused, '404': refused },
  },
  {
    method: 'post',
    path: '/connect/{platform}/choose',
    operationId: 'connectChoose',
    tags: ['Accounts'],
    summary: 'The accounts picked (browser)',
    description: 'The choice page’s form: `state` and one `account` per account picked (form-encoded).',
    parameters: [platform],
    responses: { '200': html('Connected.'), '400': refused, '403': refused, '404': refused },
  },
];
