import type { z } from 'zod';
import { PlatformError } from '../core/errors.js';
import { platformNames } from '../core/platform-names.js';
import type { PlatformId } from '../core/post.js';

/**
 * Parses an adapter's stored credentials with its schema. A malformed object means the account
 * must be reconnected (auth, as every adapter does); the message names the fields, never the
 * values (zod's issues could quote the token).
 */
export function parseWith<T>(schema: z.ZodType<T>, raw: Record<string, unknown>, platform: PlatformId): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'credentials'))].join(', ');
  throw new PlatformError('auth', `${platformNames[platform]} credentials are incomplete or malformed (${fields}).`, {
    platform,
  });
}
