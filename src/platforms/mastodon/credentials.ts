import { z } from 'zod';
import { PlatformError } from '../../core/errors.js';

/**
 * A Mastodon account: the instance it lives on and an access token with the `write:statuses`
 * and `write:media` scopes (`read:accounts` for verify). `accountId` is filled in by verify.
 *
 * @example { "instanceUrl": "https://mastodon.social", "accessToken": "…" }
 */
const credentialsSchema = z.object({
  instanceUrl: z.string().url(),
  accessToken: z.string().min(1),
  accountId: z.string().optional(),
});

export type MastodonCredentials = z.infer<typeof credentialsSchema>;

export function parseCredentials(raw: Record<string, unknown>): MastodonCredentials {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'credentials'))].join(', ');
    throw new PlatformError('auth', `Mastodon credentials are incomplete or malformed (${fields}).`, {
      platform: 'mastodon',
    });
  }
  return { ...parsed.data, instanceUrl: parsed.data.instanceUrl.replace(/\/+$/, '') };
}
