import { z } from 'zod';
import { parseWith } from '../credentials.js';

/** The Graph API hayon speaks to Instagram by default (Instagram API with Facebook Login). */
export const defaultInstagramApiUrl = 'https://graph.facebook.com/v21.0';

/**
 * An Instagram professional (business or creator) account's credentials:
 * - `igUserId`: the Instagram user id (the IG User the Page is connected to);
 * - `accessToken`: a token with `instagram_basic`, `instagram_content_publish` and
 *   `pages_read_engagement` (Facebook Login), or `instagram_business_basic` and
 *   `instagram_business_content_publish` with `apiUrl` at `https://graph.instagram.com/…`
 *   (Instagram Login);
 * - `apiUrl`: host and version, {@link defaultInstagramApiUrl} by default (tests use a fake).
 *
 * @example { "igUserId": "17841405822304914", "accessToken": "EAA…" }
 */
const credentialsSchema = z.object({
  igUserId: z.string().min(1),
  accessToken: z.string().min(1),
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export type InstagramCredentials = z.infer<typeof credentialsSchema> & { apiUrl: string };

/** Reads stored credentials; names the fields that are wrong (auth), never their values. */
export function parseCredentials(raw: Record<string, unknown>): InstagramCredentials {
  const creds = parseWith(credentialsSchema, raw, 'instagram');
  return { ...creds, apiUrl: creds.apiUrl ?? defaultInstagramApiUrl };
}
