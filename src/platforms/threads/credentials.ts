import { z } from 'zod';
import { parseWith } from '../credentials.js';

/** The Threads Graph API hayon speaks by default. */
export const defaultThreadsApiUrl = 'https://graph.threads.net/v1.0';

/**
 * A Threads account's credentials:
 * - `userId`: the Threads user id (`GET /me?fields=id`; `verify` fills it in);
 * - `accessToken`: a long-lived Threads user token with `threads_basic`,
 *   `threads_content_publish` and, for thread replies, `threads_manage_replies`;
 * - `apiUrl`: host and version, {@link defaultThreadsApiUrl} by default (tests use a fake);
 * - `expiresAt`: epoch ms when the long-lived token expires (60 days), when known (set by the
 *   connect flow), for refreshing it in time (`GET /refresh_access_token`).
 *
 * @example { "userId": "17841400000000000", "accessToken": "THQ…" }
 */
const credentialsSchema = z.object({
  userId: z.string().min(1),
  accessToken: z.string().min(1),
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
  expiresAt: z.number().int().positive().optional(),
});

export type ThreadsCredentials = z.infer<typeof credentialsSchema> & { apiUrl: string };

/** Reads stored credentials; names the fields that are wrong (auth), never their values. */
export function parseCredentials(raw: Record<string, unknown>): ThreadsCredentials {
  const creds = parseWith(credentialsSchema, raw, 'threads');
  return { ...creds, apiUrl: creds.apiUrl ?? defaultThreadsApiUrl };
}
