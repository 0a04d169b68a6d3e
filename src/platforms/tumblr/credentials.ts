import { z } from 'zod';
import { PlatformError } from '../../core/errors.js';

const blogSchema = z.string().trim().min(1);

/**
 * OAuth 2: a bearer token (scopes `basic write`, plus `offline_access` for a refresh token).
 * Tumblr's access tokens live 42 minutes (`expires_in: 2520`): with `refreshToken`, `clientId`
 * and `clientSecret` (the app's consumer key and secret) the adapter refreshes the token itself
 * and saves the new pair; without them the account must be reconnected when it expires.
 */
const oauth2Schema = z.object({
  blog: blogSchema,
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  /** Epoch ms when the access token expires, if known (set after a refresh). */
  expiresAt: z.number().int().positive().optional(),
  blogName: z.string().min(1).optional(),
  blogUuid: z.string().min(1).optional(),
});

/** OAuth 1.0a: the app's consumer key and secret and the user's token and token secret (tumblr.js signs each request with them). */
const oauth1Schema = z.object({
  blog: blogSchema,
  consumerKey: z.string().min(1),
  consumerSecret: z.string().min(1),
  token: z.string().min(1),
  tokenSecret: z.string().min(1),
  blogName: z.string().min(1).optional(),
  blogUuid: z.string().min(1).optional(),
});

export type TumblrOAuth2Credentials = z.infer<typeof oauth2Schema>;
export type TumblrOAuth1Credentials = z.infer<typeof oauth1Schema>;

/**
 * A Tumblr account: the blog to post to and either OAuth 2 or OAuth 1.0a credentials (OAuth 1
 * wins when both are complete). `blog` is any blog identifier: the name (`myblog`), a hostname
 * (`myblog.tumblr.com`, `www.example.com`) or the uuid (`t:…`). `blogName` and `blogUuid` are
 * filled in by verify.
 *
 * @example { "blog": "myblog.tumblr.com", "accessToken": "…", "refreshToken": "…", "clientId": "…", "clientSecret": "…" }
 * @example { "blog": "myblog", "consumerKey": "…", "consumerSecret": "…", "token": "…", "tokenSecret": "…" }
 */
export type TumblrCredentials =
  | ({ auth: 'oauth1' } & TumblrOAuth1Credentials)
  | ({ auth: 'oauth2' } & TumblrOAuth2Credentials);

/** Reads stored credentials; a malformed object means the account must be reconnected. */
export function parseCredentials(raw: Record<string, unknown>): TumblrCredentials {
  const one = oauth1Schema.safeParse(raw);
  if (one.success) return { auth: 'oauth1', ...one.data };
  const two = oauth2Schema.safeParse(raw);
  if (two.success) return { auth: 'oauth2', ...two.data };
  // Name the fields of the scheme the object comes closest to; never quote values (secrets).
  const looksOAuth1 = ['consumerKey', 'consumerSecret', 'token', 'tokenSecret'].some((k) => k in raw);
  const issues = (looksOAuth1 ? one : two).error?.issues ?? [];
  const fields = [...new Set(issues.map((i) => i.path.join('.') || 'credentials'))].join(', ');
  const scheme = looksOAuth1 ? 'OAuth 1.0a' : 'OAuth 2';
  throw new PlatformError('auth', `Tumblr credentials are incomplete or malformed (${scheme}: ${fields}).`, {
    platform: 'tumblr',
  });
}

/** The blog's short name when the identifier shows it (`myblog`, `myblog.tumblr.com`); else undefined. */
export function blogNameOf(creds: TumblrCredentials): string | undefined {
  if (creds.blogName) return creds.blogName;
  const id = creds.blog.toLowerCase();
  if (id.startsWith('t:')) return undefined;
  if (id.endsWith('.tumblr.com')) return id.slice(0, -'.tumblr.com'.length);
  return id.includes('.') ? undefined : id;
}
