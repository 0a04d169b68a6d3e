import { parseWith } from '../credentials.js';
import { z } from 'zod';

const sessionSchema = z.object({
  did: z.string().min(1),
  handle: z.string().min(1),
  accessJwt: z.string().min(1),
  refreshJwt: z.string().min(1),
});

const credentialsSchema = z.object({
  /** The PDS or entryway to log in at: `https://bsky.social`. */
  service: z.url({ protocol: /^https?$/ }),
  /** Handle, DID or email of the account. */
  identifier: z.string().min(1),
  /** An app password (never the account password). */
  appPassword: z.string().min(1),
  /** The last session, reused and refreshed instead of logging in per post. */
  session: sessionSchema.optional(),
});

export type BlueskySession = z.infer<typeof sessionSchema>;
export type BlueskyCredentials = z.infer<typeof credentialsSchema>;

/** Reads stored credentials; a malformed object means the account must be reconnected. */
export function parseCredentials(raw: Record<string, unknown>): BlueskyCredentials {
  return parseWith(credentialsSchema, raw, 'bluesky');
}
