import { parseWith } from '../credentials.js';
import { z } from 'zod';

/**
 * The Graph API version hayon speaks by default: v26.0 (July 2026), the newest one listed in the
 * Graph API changelog as read in November 2026. Older versions are retired about two years after
 * release (v21.0 in January 2027), so this is bumped from time to time.
 */
export const defaultApiUrl = 'https://graph.facebook.com/v26.0';

/**
 * A Facebook Page's credentials:
 * - `pageId`: the Page's numeric id (from `GET /me/accounts` when the Page was connected);
 * - `pageAccessToken`: a Page access token (long-lived, from a long-lived user token) whose user
 *   can perform the `CREATE_CONTENT` task, with `pages_manage_posts`, `pages_read_engagement`
 *   and, for videos, `publish_video`;
 * - `apiUrl`: the Graph API base with its version, `https://graph.facebook.com/v26.0` by default
 *   (tests point it at a local fake).
 *
 * @example { "pageId": "104729318412345", "pageAccessToken": "EAAB…" }
 */
const credentialsSchema = z.object({
  pageId: z.string().regex(/^\d+$/),
  pageAccessToken: z.string().min(1),
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export type FacebookCredentials = z.infer<typeof credentialsSchema> & { apiUrl: string };

/** Reads stored or submitted credentials; names the fields that are wrong, never their values. */
export function parseCredentials(raw: Record<string, unknown>): FacebookCredentials {
  const creds = parseWith(credentialsSchema, raw, 'facebook');
  return { ...creds, apiUrl: (creds.apiUrl ?? defaultApiUrl).replace(/\/+$/, '') };
}
