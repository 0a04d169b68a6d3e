import { parseWith } from '../credentials.js';
import { z } from 'zod';

const visibilities = ['public', 'unlisted', 'private', 'direct'] as const;

/**
 * A Mastodon account's credentials, for any instance (or a Mastodon-API server such as
 * GoToSocial):
 * - `instanceUrl`: where the API is, `https://mastodon.social` (a trailing slash is dropped);
 * - `accessToken`: a user token with `write:statuses`, `write:media` and `read:accounts`;
 * - `accountId`: the account's id, filled in by `verify` (reconcile lists its statuses);
 * - `defaultVisibility`, `defaultContentWarning`, `defaultLanguage`: used for every post of the
 *   account unless the post's own options say otherwise.
 *
 * @example { "instanceUrl": "https://mastodon.social", "accessToken": "…", "defaultVisibility": "unlisted" }
 */
const credentialsSchema = z.object({
  instanceUrl: z.url({ protocol: /^https?$/ }),
  accessToken: z.string().min(1),
  accountId: z.string().min(1).optional(),
  defaultVisibility: z.enum(visibilities).optional(),
  defaultContentWarning: z.string().optional(),
  defaultLanguage: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .optional(),
});

export type MastodonCredentials = z.infer<typeof credentialsSchema>;

/** Reads stored or submitted credentials; names the fields that are wrong, never their values. */
export function parseCredentials(raw: Record<string, unknown>): MastodonCredentials {
  const creds = parseWith(credentialsSchema, raw, 'mastodon');
  return { ...creds, instanceUrl: creds.instanceUrl.replace(/\/+$/, '') };
}
