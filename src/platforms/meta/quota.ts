/** One row of `threads_publishing_limit` / `content_publishing_limit`. */
export interface QuotaRow {
  quota_usage?: number;
  config?: { quota_total?: number; quota_duration?: number };
  reply_quota_usage?: number;
  reply_config?: { quota_total?: number; quota_duration?: number };
}

export interface Quota {
  usage: number;
  total: number;
  durationMs: number;
}

/** The posts (or, on Threads, replies) quota in a row; undefined when the platform gave no total. */
export function quotaFor(row: QuotaRow | undefined, reply: boolean): Quota | undefined {
  const config = reply ? row?.reply_config : row?.config;
  if (config?.quota_total === undefined) return undefined;
  return {
    usage: Number((reply ? row?.reply_quota_usage : row?.quota_usage) ?? 0),
    total: config.quota_total,
    durationMs: (config.quota_duration ?? 86_400) * 1000,
  };
}

/**
 * Milliseconds until one more post fits a full rolling window: when the oldest post still in it
 * leaves (`postedAt` are the account's recent posts, epoch ms). Listed posts include ones not made
 * through the API, so this may come early; the next attempt reads the quota again. Without
 * timestamps, a share of the window. At least a minute.
 */
export function fitsAfterMs(quota: Quota, postedAt: number[], now: number): number {
  const inWindow = postedAt.filter((t) => Number.isFinite(t) && t > now - quota.durationMs);
  const oldest = inWindow.length > 0 ? Math.min(...inWindow) : undefined;
  const wait = oldest !== undefined ? oldest + quota.durationMs - now : quota.durationMs / Math.max(1, quota.total);
  return Math.max(60_000, Math.ceil(wait));
}
