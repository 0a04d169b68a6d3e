import type { ResolvedContent } from '../../core/content.js';
import type { MastodonCredentials } from './credentials.js';

/** The per-status options Mastodon has beyond text and media. */
export interface MastodonOptions {
  visibility?: 'public' | 'unlisted' | 'private' | 'direct' | undefined;
  /** The content warning shown in place of the text until opened. */
  spoilerText?: string | undefined;
  /** ISO 639 code of the text. */
  language?: string | undefined;
}

/** A post's own options where it has them, else the account's defaults from its credentials. */
export function statusOptions(content: ResolvedContent, creds: MastodonCredentials): MastodonOptions {
  const own = content.options ?? {};
  return {
    visibility: own.visibility ?? creds.defaultVisibility,
    spoilerText: own.contentWarning ?? creds.defaultContentWarning,
    language: own.language ?? creds.defaultLanguage,
  };
}

/** The options as masto's status parameters (sent as `visibility`, `spoiler_text`, `language`); unset ones are left to the instance. */
export function statusParams(options: MastodonOptions): {
  visibility?: NonNullable<MastodonOptions['visibility']>;
  spoilerText?: string;
  language?: string;
} {
  return {
    ...(options.visibility ? { visibility: options.visibility } : {}),
    ...(options.spoilerText ? { spoilerText: options.spoilerText } : {}),
    ...(options.language ? { language: options.language } : {}),
  };
}
