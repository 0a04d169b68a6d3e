import { accountOperations } from './operations-accounts.js';
import { inboundOperations, webhookOperations } from './operations-inbound.js';
import { postOperations } from './operations-posts.js';
import { systemOperations } from './operations-system.js';
import type { OperationSpec, TagSpec, WebhookSpec } from './types.js';

/**
 * Every route of hayon's HTTP app, as data that references the zod schemas the routes use.
 * `test/e2e/openapi.test.ts` checks this list against the app's routes, both ways: a route added
 * without its description here fails it.
 */
export function operations(): OperationSpec[] {
  return [...postOperations(), ...accountOperations, ...inboundOperations, ...systemOperations];
}

export { webhookOperations };
export type { OperationSpec, WebhookSpec };

/** The sections of the document, in order. */
export const tags: readonly TagSpec[] = [
  {
    name: 'Posts',
    description: 'Make, read, list, edit, cancel, hurry and retry posts. Every route needs an API token.',
  },
  {
    name: 'Media',
    description: 'Attach files: get an upload URL, send the file, name it in a post. Signed URLs need no token.',
  },
  {
    name: 'Webhooks',
    description:
      'Events from a CMS or CI that become posts (signed, no token), and the events hayon sends to a callbackUrl.',
  },
  {
    name: 'Accounts',
    description: 'Connecting accounts: a link for a person to open, and the browser side of the flow (OAuth, forms).',
  },
  { name: 'Chat', description: 'The Slack and Discord apps’ endpoints, signed by Slack and Discord.' },
  { name: 'Operations', description: 'Health checks and this document.' },
];
