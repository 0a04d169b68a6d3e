import { z } from 'zod';
import { mediaItemSchema, postRequestSchema } from './post-request.js';

const shape = postRequestSchema.shape;

/**
 * `PATCH /v1/posts/:id` (and `hayon posts edit`, the chat Edit forms): the fields of a post to
 * change, each replacing the stored one; a field left out stays as it is. The post as edited is
 * then checked exactly as a new one is.
 */
export const postPatchSchema = z
  .object({
    text: z.string().max(100_000).optional().describe('The new text.'),
    media: z
      .array(mediaItemSchema)
      .max(20)
      .optional()
      .describe('The attachments, all of them: they replace the stored ones ([] removes them).'),
    targets: shape.targets.optional().describe('Where to post, all of them: a target left out is cancelled there.'),
    when: shape.when.describe('The new time, in plain words or ISO 8601 ("now" sends it at once).'),
    timezone: shape.timezone.describe('The IANA time zone `when` is read in and times are shown in.'),
    overrides: shape.overrides.describe(
      'Per-platform text, media or options, all of them: they replace the stored ones.',
    ),
    thread: shape.thread,
    threadCounter: shape.threadCounter,
    linkPreview: shape.linkPreview,
  })
  .strict();

export type PostPatch = z.output<typeof postPatchSchema>;

/** The names of the fields an edit may change, for a refusal that lists them. */
export const postPatchFields = Object.keys(postPatchSchema.shape) as (keyof PostPatch)[];
