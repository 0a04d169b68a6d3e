import { z } from 'zod';
import { platformIds } from './post.js';

/**
 * What every way in (HTTP, CLI, Slack, Discord, webhooks) turns its input into. One schema, so a
 * rule written here serves them all; the OpenAPI document is generated from it.
 */
/** The id `POST /v1/uploads` returns: a UUID and the declared type's extension. */
export const uploadIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp|gif|mp4)$/;

/** An attachment: a URL hayon downloads, or the id of a file uploaded through `POST /v1/uploads`. */
export const mediaItemSchema = z
  .object({
    url: z.string().url().max(2048).optional(),
    id: z.string().regex(uploadIdPattern, 'an upload id from POST /v1/uploads').optional(),
    alt: z.string().max(5000).optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    if ((item.url === undefined) === (item.id === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'give either url or id (an upload), not both' });
    }
  });

export type MediaRef = z.output<typeof mediaItemSchema>;

/** `auto`: a text too long for a platform becomes a thread of replies there (Bluesky, Mastodon, Threads). */
export const threadModeSchema = z.enum(['auto', 'off']);

/** Options some platforms have; the others ignore them. */
export const platformOptionsSchema = z
  .object({
    /** Mastodon: who sees the post; default the account's own default. */
    visibility: z.enum(['public', 'unlisted', 'private', 'direct']).optional(),
    /** Mastodon: a content warning shown before the text. */
    contentWarning: z.string().max(1000).optional(),
    /** Mastodon: the language of the text (ISO 639-1, `en`). */
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'an ISO 639 language code such as "en"')
      .optional(),
  })
  .strict();

const contentOverrideSchema = z
  .object({
    text: z.string().max(100_000).optional(),
    media: z.array(mediaItemSchema).max(20).optional(),
    thread: threadModeSchema.optional(),
    options: platformOptionsSchema.optional(),
  })
  .strict();

export const postRequestSchema = z
  .object({
    text: z.string().max(100_000).default('').describe('The text; may be empty only when media is given.'),
    media: z
      .array(mediaItemSchema)
      .max(20)
      .default([])
      .describe('Attachments: a URL hayon downloads, or the id of an upload (POST /v1/uploads), with alt text.'),
    targets: z
      .array(z.string().min(1).max(300))
      .min(1)
      .max(50)
      .describe(
        'Where to post: a platform name (`bluesky`: the workspace’s one account there), a `platform:handle` pair, or an account id.',
      ),
    when: z
      .string()
      .max(200)
      .optional()
      .describe(
        'When, in plain words ("tomorrow 9am", "in 2 hours") or ISO 8601; default now. "next slot": the first slot of ' +
          'the workspace’s weekly schedule (`hayon workspace set --slots`, in its time zone) that no other post holds.',
      ),
    timezone: z
      .string()
      .max(64)
      .optional()
      .describe('The author’s IANA time zone, for reading `when` and showing times; default HAYON_DEFAULT_TIMEZONE.'),
    overrides: z
      .partialRecord(z.enum(platformIds), contentOverrideSchema)
      .optional()
      .describe('Text, media or options that replace the global content on one platform.'),
    thread: threadModeSchema
      .optional()
      .describe('`auto`: a text too long for a platform becomes a thread there; `off` (default): it is refused.'),
    threadCounter: z.boolean().optional().describe('Whether thread parts end with " (1/3)"; default true.'),
    linkPreview: z
      .boolean()
      .optional()
      .describe(
        'Whether a post with a link and no media shows a card of the first link (its page’s title, description and image) where the platform has cards; default true.',
      ),
    callbackUrl: z
      .string()
      .url()
      .max(2048)
      .optional()
      .describe(
        'Where hayon POSTs each delivery’s outcome and the final summary, signed with X-Hayon-Signature (see the callbackEvent webhook).',
      ),
  })
  .strict();

export type PostRequestInput = z.input<typeof postRequestSchema>;
export type PostRequest = z.output<typeof postRequestSchema>;
