import type { z } from 'zod';
import { PlatformError } from '../../core/errors.js';
import type { PlatformId } from '../../core/post.js';

/** Parses an adapter's credentials with its schema; a bad shape names the fields, never the values. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  raw: Record<string, unknown>,
  platform: PlatformId,
  name: string,
): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'credentials'))].join(', ');
  throw new PlatformError('auth', `${name} credentials are incomplete or malformed (${fields}).`, { platform });
}
