import { z } from 'zod';
import { postPatchSchema } from '../../core/post-patch.js';
import { postRequestSchema } from '../../core/post-request.js';
import { postViewSchema } from '../../core/post-view.js';
import { errorBodySchema } from '../errors.js';
import { uploadRequestSchema } from '../routes/uploads.js';
import type { JsonSchema } from './types.js';

/**
 * The answer and request schemas the routes use that core does not name. Each `.meta({ id })`
 * makes an OpenAPI component; request schemas get ids of their own (`PostRequest`) so that a
 * component never holds two shapes.
 */

/** `POST /v1/hooks/{hookId}`: an event that makes no post (202). */
export const hookIgnoredSchema = z
  .object({
    ignored: z.literal(true),
    reason: z.string().describe('Why no post was made: the event or action is not one the source posts about.'),
  })
  .meta({ id: 'HookIgnored' });

/** `.meta()` returns a copy, so the core schemas stay as they are. */
export const postRequestComponent = postRequestSchema.meta({
  id: 'PostRequest',
  description:
    'A post to make. targets: platform names (bluesky: the workspace’s one account there), platform:handle pairs or ' +
    'account ids. when: plain words ("tomorrow 9am") or ISO 8601, default now, read in timezone (IANA, default UTC); ' +
    '"next slot" takes the first free slot of the workspace’s weekly schedule (hayon workspace set --slots "mon-fri ' +
    '09:00,13:00; sat 10:00", read in the workspace’s time zone), and the answer’s scheduledAt is that slot. ' +
    'overrides: text or media that replace the global ones on one platform. thread: auto makes a thread of a text ' +
    'too long for a platform; off (default) refuses it. linkPreview: false publishes a link without a card (default: ' +
    'a post with a link and no media shows a card of its first link where the platform has cards). callbackUrl: ' +
    'where hayon POSTs each delivery’s outcome (see the callbackEvent webhook).',
});

export const postPatchComponent = postPatchSchema.meta({
  id: 'PostPatch',
  description:
    'The fields of a post to change, each replacing the stored one (media, targets and overrides as whole lists); a ' +
    'field left out stays. At least one field. The post as edited is checked as a new post is.',
});

export const uploadRequestComponent = uploadRequestSchema.meta({
  id: 'UploadRequest',
  description: 'The file’s type (checked against its content when it arrives and when it is used) and size in bytes.',
});

export const postListSchema = z
  .object({ posts: z.array(postViewSchema).describe('Newest first.') })
  .meta({ id: 'PostList' });

export const healthSchema = z.object({ ok: z.literal(true) }).meta({ id: 'Health' });

/** `/readyz` when the store cannot be reached: `Error`'s `error` beside `ok: false`. */
export const notReadySchema = z
  .object({ ok: z.literal(false), error: errorBodySchema.shape.error })
  .meta({ id: 'NotReady' });

export const mediaStoredSchema = z
  .object({ ok: z.literal(true), size: z.number().int().describe('Bytes stored.') })
  .meta({ id: 'MediaStored' });

/** A body hayon hands on without a schema of its own (Slack's, Discord's, a webhook source's). */
export const anyObject: JsonSchema = { type: 'object', additionalProperties: true };

export { errorBodySchema };
