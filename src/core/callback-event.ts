import { z } from 'zod';
import { deliveryViewSchema, postViewSchema } from './post-view.js';

export const callbackEventTypes = [
  'delivery.published',
  'delivery.retrying',
  'delivery.failed',
  'post.finished',
] as const;
export type CallbackEventType = (typeof callbackEventTypes)[number];

const common = {
  /** The same for every attempt to send this event: receivers drop one they have already seen. */
  id: z.string(),
  createdAt: z.string().meta({ format: 'date-time' }),
  postId: z.string(),
  /** The post's correlation id, as in hayon's logs. */
  correlationId: z.string(),
  /** The incoming webhook the post came from, if any. */
  hookId: z.string().optional(),
};

/**
 * What hayon POSTs to a post's `callbackUrl`: one event per delivery outcome (published, a retry
 * to come, failed for good), then `post.finished` once every delivery is done. Signed like
 * incoming webhooks: `X-Hayon-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`.
 */
export const callbackEventSchema = z
  .discriminatedUnion('type', [
    z.object({ ...common, type: z.literal('delivery.published'), delivery: deliveryViewSchema }),
    z.object({
      ...common,
      type: z.literal('delivery.retrying'),
      delivery: deliveryViewSchema,
      /** Why the attempt failed. */
      reason: z.string(),
      nextAttemptAt: z.string().meta({ format: 'date-time' }),
    }),
    z.object({ ...common, type: z.literal('delivery.failed'), delivery: deliveryViewSchema, reason: z.string() }),
    z.object({
      ...common,
      type: z.literal('post.finished'),
      /** The post with every delivery's final state and link. */
      post: postViewSchema,
    }),
  ])
  .meta({ id: 'CallbackEvent' });
export type CallbackEvent = z.infer<typeof callbackEventSchema>;
