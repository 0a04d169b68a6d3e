import { derivePostStatus } from './delivery-state.js';
import { z } from 'zod';
import {
  type Account,
  type Delivery,
  deliveryStates,
  platformIds,
  type PostWithDeliveries,
  postStatuses,
} from './post.js';
import { formatInZone } from './schedule.js';

const deliveryStateSchema = z.enum(deliveryStates);
export const postStatusSchema = z.enum(postStatuses);

/** A delivery as an API answer shows it. */
export const deliveryViewSchema = z
  .object({
    id: z.string(),
    platform: z.enum(platformIds),
    accountId: z.string(),
    /** The account's handle, when it still exists. */
    account: z.string().optional(),
    state: deliveryStateSchema,
    attempts: z.number().int(),
    /** When it is (or was) due; for a retry, when the next attempt comes. */
    dueAt: z.string().meta({ format: 'date-time' }),
    /** The published post's link. */
    url: z.string().optional(),
    remoteId: z.string().optional(),
    publishedAt: z.string().meta({ format: 'date-time' }).optional(),
    /** The last error: its kind (transient, rate_limited, auth, invalid, internal) and a sentence. */
    error: z.object({ kind: z.string(), message: z.string() }).optional(),
    /** When the text was split into a thread on this platform: its parts, and the links of those published. */
    thread: z.object({ parts: z.number().int(), published: z.number().int(), urls: z.array(z.string()) }).optional(),
  })
  .meta({ id: 'Delivery' });
export type DeliveryView = z.infer<typeof deliveryViewSchema>;

/** An attachment as an answer shows it: its type, size and pixels, alt text, and the URL it came from. */
export const mediaViewSchema = z
  .object({
    type: z.string().optional(),
    size: z.number().int().optional(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    alt: z.string().optional(),
    sourceUrl: z.string().optional(),
  })
  .meta({ id: 'Media' });
export type MediaView = z.infer<typeof mediaViewSchema>;

/** A post as every answer (HTTP, callback, CLI `--json`) shows it. */
export const postViewSchema = z
  .object({
    id: z.string(),
    /** Derived from the deliveries. */
    status: postStatusSchema,
    text: z.string(),
    media: z.array(mediaViewSchema),
    /** Present (false) when the request turned link cards off. */
    linkPreview: z.boolean().optional(),
    scheduledAt: z.string().meta({ format: 'date-time' }),
    /** The same instant written in the author's zone. */
    scheduledAtLocal: z.string(),
    timezone: z.string(),
    createdAt: z.string().meta({ format: 'date-time' }),
    /** One id from ingress to the last reply, on every log line of this post. */
    correlationId: z.string(),
    deliveries: z.array(deliveryViewSchema),
  })
  .meta({ id: 'Post' });
export type PostView = z.infer<typeof postViewSchema>;

const iso = (ms: number) => new Date(ms).toISOString();

export function toPostView(value: PostWithDeliveries, now: number, accounts: readonly Account[] = []): PostView {
  const { post, deliveries } = value;
  const handles = new Map(accounts.map((a) => [a.id, a.handle]));
  return {
    id: post.id,
    status: derivePostStatus(deliveries, now),
    text: post.content.text,
    media: post.content.media.map((m) => ({
      ...(m.mimeType ? { type: m.mimeType } : {}),
      ...(m.size !== undefined ? { size: m.size } : {}),
      ...(m.width !== undefined ? { width: m.width, height: m.height } : {}),
      ...(m.alt ? { alt: m.alt } : {}),
      ...(m.url ? { sourceUrl: m.url } : {}),
    })),
    ...(post.content.linkPreview === false ? { linkPreview: false } : {}),
    scheduledAt: iso(post.scheduledAt),
    scheduledAtLocal: formatInZone(post.scheduledAt, post.timezone),
    timezone: post.timezone,
    createdAt: iso(post.createdAt),
    correlationId: post.correlationId,
    deliveries: deliveries.map((d) => toDeliveryView(d, handles.get(d.accountId))),
  };
}

/** One delivery as answers and callbacks show it; `handle` is its account's, when known. */
export function toDeliveryView(d: Delivery, handle?: string): DeliveryView {
  return {
    id: d.id,
    platform: d.platform,
    accountId: d.accountId,
    ...(handle !== undefined ? { account: handle } : {}),
    state: d.state,
    attempts: d.attempts,
    dueAt: iso(d.dueAt),
    ...(d.result ? { url: d.result.url, remoteId: d.result.remoteId } : {}),
    ...(d.publishedAt !== undefined ? { publishedAt: iso(d.publishedAt) } : {}),
    ...(d.lastError ? { error: { kind: d.lastError.kind, message: d.lastError.message } } : {}),
    ...(d.parts
      ? { thread: { parts: d.parts.length, published: d.chain?.length ?? 0, urls: (d.chain ?? []).map((r) => r.url) } }
      : {}),
  };
}
