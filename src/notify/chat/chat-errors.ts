/** What the outbox does after a failed attempt at a chat message. */
export type ChatFailure =
  /** Never going to work (the channel was deleted, the bot removed): dropped, with the reason. */
  | { kind: 'permanent'; reason: string }
  /** Rate limited: try again after the wait the API asked for. */
  | { kind: 'rate-limited'; reason: string; retryAfterMs: number }
  /** Down, refused, timed out, 5xx: try again with backoff. */
  | { kind: 'transient'; reason: string };

/** Slack `error` codes after which a message can never be sent where it was meant to go. */
const slackPermanent = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'message_not_found',
  'cant_update_message',
  'thread_not_found',
]);

/** Discord JSON error codes: Unknown Channel, Unknown Message, Missing Access, Missing Permissions. */
const discordPermanent = new Set([10003, 10008, 50001, 50013]);

interface ErrorShape {
  code?: unknown;
  status?: unknown;
  retryAfter?: unknown;
  data?: { error?: unknown };
  message?: unknown;
  name?: unknown;
}

/**
 * Classifies an error of the Slack WebClient (`code` `slack_webapi_*`, a platform error's
 * `data.error`, a rate limit's `retryAfter` in seconds) or of discord.js's REST (a
 * DiscordAPIError's numeric `code` and `status`, a RateLimitError's `retryAfter` in ms).
 */
export function classifyChatError(chat: 'slack' | 'discord', err: unknown): ChatFailure {
  const e = (err ?? {}) as ErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (chat === 'slack') {
    if (e.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number') {
      return { kind: 'rate-limited', reason: 'Slack asked to slow down (429).', retryAfterMs: e.retryAfter * 1000 };
    }
    const platform = typeof e.data?.error === 'string' ? e.data.error : undefined;
    if (e.code === 'slack_webapi_platform_error' && platform) {
      if (slackPermanent.has(platform)) return { kind: 'permanent', reason: platform };
      return { kind: 'transient', reason: `Slack answered ${platform}.` };
    }
    if (e.code === 'slack_webapi_http_error') return { kind: 'transient', reason: message };
    return { kind: 'transient', reason: `Slack could not be reached (${message}).` };
  }
  if (e.name === 'RateLimitError' || (typeof e.retryAfter === 'number' && e.status === undefined)) {
    const wait = typeof e.retryAfter === 'number' ? e.retryAfter : 1_000;
    return { kind: 'rate-limited', reason: 'Discord asked to slow down (429).', retryAfterMs: wait };
  }
  if (typeof e.code === 'number' && discordPermanent.has(e.code)) {
    return { kind: 'permanent', reason: `${e.code} ${message}` };
  }
  if (e.status === 404) return { kind: 'permanent', reason: `404 ${message}` };
  if (typeof e.status === 'number') return { kind: 'transient', reason: `Discord answered ${e.status}.` };
  return { kind: 'transient', reason: `Discord could not be reached (${message}).` };
}
