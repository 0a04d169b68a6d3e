import { derivePostStatus } from './delivery-state.js';
import type { Account, Delivery, PostStatus, PostWithDeliveries } from './post.js';
import { formatInZone } from './schedule.js';

/** A delivery as an API answer shows it. */
export interface DeliveryView {
  id: string;
  platform: string;
  accountId: string;
  account?: string | undefined;
  state: Delivery['state'];
  attempts: number;
  dueAt: string;
  url?: string | undefined;
  remoteId?: string | undefined;
  publishedAt?: string | undefined;
  error?: { kind: string; message: string } | undefined;
  /** When the text was split into a thread on this platform: its parts, and the links of those published. */
  thread?: { parts: number; published: number; urls: string[] } | undefined;
}

export interface MediaView {
  type?: string | undefined;
  size?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  alt?: string | undefined;
  sourceUrl?: string | undefined;
}

export interface PostView {
  id: string;
  status: PostStatus;
  text: string;
  /** Each attachment: its type, size and pixels, alt text, and the URL it came from (if any). */
  media: MediaView[];
  scheduledAt: string;
  /** The same instant written in the author's zone. */
  scheduledAtLocal: string;
  timezone: string;
  createdAt: string;
  correlationId: string;
  deliveries: DeliveryView[];
}

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
    scheduledAt: iso(post.scheduledAt),
    scheduledAtLocal: formatInZone(post.scheduledAt, post.timezone),
    timezone: post.timezone,
    createdAt: iso(post.createdAt),
    correlationId: post.correlationId,
    deliveries: deliveries.map((d) => ({
      id: d.id,
      platform: d.platform,
      accountId: d.accountId,
      ...(handles.has(d.accountId) ? { account: handles.get(d.accountId) } : {}),
      state: d.state,
      attempts: d.attempts,
      dueAt: iso(d.dueAt),
      ...(d.result ? { url: d.result.url, remoteId: d.result.remoteId } : {}),
      ...(d.publishedAt !== undefined ? { publishedAt: iso(d.publishedAt) } : {}),
      ...(d.lastError ? { error: { kind: d.lastError.kind, message: d.lastError.message } } : {}),
      ...(d.parts
        ? {
            thread: { parts: d.parts.length, published: d.chain?.length ?? 0, urls: (d.chain ?? []).map((r) => r.url) },
          }
        : {}),
    })),
  };
}
