import type { PlatformError } from '../../core/errors.js';
import { type CallSite, type HttpAnswer, platformError, redact, retryAfterMs } from '../http.js';

/**
 * Error subcodes (`errors[].code`) of the NPF create endpoint that mean a per-user daily limit:
 * 8023 the blog's daily posting limit (250 posts), 8004 daily media uploads, 8011 daily videos.
 * (tumblr/docs api.md, "Errors and Error Subcodes")
 */
const dailyLimitCodes = new Set([8023, 8004, 8011]);
/** 8010: a video is still transcoding, so another cannot be uploaded yet. */
const transcodingCode = 8010;
/** The legacy API's sentence for the same limit ("You've exceeded your daily post limit."). */
const dailyLimitText = /daily (post|posting|upload|photo|video)s? limit|post limit/i;

/** Waits used when Tumblr says only that a limit was hit. */
const waits = { transcodingMs: 5 * 60_000, unexplained429Ms: 60_000 } as const;

interface TumblrErrorBody {
  meta?: { status?: number; msg?: string };
  errors?: ({ title?: string; detail?: string; code?: number } | string)[];
  response?: { errors?: unknown } | unknown[];
}

/**
 * Turns a Tumblr error answer into a PlatformError whose kind decides retries:
 * - 429 and the daily-limit answers (403 with subcode 8023/8004/8011, or a 400/403 saying "daily
 *   post limit") are rate_limited. The wait is `Retry-After`, else the exhausted
 *   `X-Ratelimit-Per{hour,day}-Reset` (seconds), else, for a daily limit or a bare 429 on post
 *   creation (Tumblr's 250-posts-a-day limit answers 429 too), the start of Tumblr's next day;
 *   other bare 429s wait a minute.
 * - 401 is auth (token invalid, expired or revoked); so is a 403 without a known subcode: Tumblr
 *   says a 403 must not be retried, and for posting it means the account may not post to the blog.
 * - 5xx (503: posting disabled) is transient; every other 4xx is invalid with Tumblr's sentence.
 */
export function toPlatformError(answer: HttpAnswer, site: CallSite, now: number = Date.now()): PlatformError {
  const { status, headers } = answer;
  const body = (answer.body && typeof answer.body === 'object' ? answer.body : {}) as TumblrErrorBody;
  const codes = errorCodes(body);
  const said = errorText(body);
  const at = `${site.method} ${site.route}`;
  const detail = said ? `: ${said}` : '';

  if (status >= 500) return platformError(site, 'transient', `Tumblr answered ${status} (${at})${detail}`, { status });

  const daily = codes.some((c) => dailyLimitCodes.has(c)) || (status !== 401 && dailyLimitText.test(said));
  if (daily || status === 429) {
    const creating = site.method === 'POST' && site.route.endsWith('/posts');
    const reset = nextTumblrDay(now) - now;
    const wait =
      retryAfterMs(headers, now) ?? exhaustedWindowMs(headers) ?? (daily || creating ? reset : waits.unexplained429Ms);
    const what = daily || (creating && wait === reset) ? "Tumblr's daily limit reached" : 'Tumblr rate limit reached';
    return platformError(site, 'rate_limited', `${what} (${at})${detail}. Retry in ${Math.ceil(wait / 1000)} s.`, {
      status,
      retryAfterMs: wait,
    });
  }
  if (codes.includes(transcodingCode)) {
    return platformError(site, 'rate_limited', `Tumblr is still transcoding a video (${at})${detail}`, {
      status,
      retryAfterMs: waits.transcodingMs,
    });
  }
  if (status === 401 || (status === 403 && codes.length === 0)) {
    return platformError(
      site,
      'auth',
      `Tumblr refused the account's credentials (${status}${detail}); reconnect the account.`,
      { status },
    );
  }
  return platformError(site, 'invalid', `Tumblr rejected ${at} (${status})${detail}`, { status });
}

/** Milliseconds until the exhausted consumer-key window resets (`X-Ratelimit-Perhour-*`, `-Perday-*`). */
function exhaustedWindowMs(headers: Headers): number | undefined {
  for (const window of ['perhour', 'perday']) {
    const remaining = headers.get(`x-ratelimit-${window}-remaining`);
    const reset = headers.get(`x-ratelimit-${window}-reset`);
    if (remaining?.trim() === '0' && reset && /^\d+$/.test(reset.trim())) return Number(reset) * 1000;
  }
  return undefined;
}

const newYork = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/**
 * When Tumblr's next day starts (epoch ms). Daily limits are "per calendar day" on Tumblr's
 * servers; `/v2/user/limits` shows `reset_at` at 05:00 UTC in winter, i.e. midnight in New York.
 */
export function nextTumblrDay(now: number): number {
  const clock = (t: number) => {
    const p = Object.fromEntries(newYork.formatToParts(t).map((x) => [x.type, Number(x.value)]));
    return { h: p.hour ?? 0, m: p.minute ?? 0, s: p.second ?? 0 };
  };
  const { h, m, s } = clock(now);
  const midnight = now - (((h * 60 + m) * 60 + s) * 1000 + (now % 1000));
  let next = midnight + 86_400_000;
  // A day with a DST change is 23 or 25 hours long.
  const after = clock(next).h;
  if (after === 23) next += 3_600_000;
  else if (after === 1) next -= 3_600_000;
  return next;
}

function errorCodes(body: TumblrErrorBody): number[] {
  return (Array.isArray(body.errors) ? body.errors : [])
    .map((e) => (typeof e === 'object' && e !== null ? Number(e.code) : Number.NaN))
    .filter((n) => Number.isInteger(n));
}

/** Tumblr's own sentence: `errors[].detail`/`title`, legacy `response.errors`, else `meta.msg`. */
function errorText(body: TumblrErrorBody): string {
  const list: unknown[] = [
    ...(Array.isArray(body.errors) ? body.errors : []),
    ...(body.response && !Array.isArray(body.response) && Array.isArray(body.response.errors)
      ? body.response.errors
      : []),
  ];
  const sentences = list
    .map((e) =>
      typeof e === 'string'
        ? e
        : typeof e === 'object' && e
          ? ((e as { detail?: string }).detail ?? (e as { title?: string }).title)
          : undefined,
    )
    .filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  const text = sentences.length > 0 ? sentences.join('; ') : (body.meta?.msg ?? '');
  return redact(text);
}

/** One entry of `GET /v2/user/limits` (`response.user.<name>`). */
interface UserLimit {
  description?: string;
  limit?: number;
  remaining?: number;
  /** Epoch seconds. */
  reset_at?: number;
}

/**
 * A 403 on post creation whose subcode was not seen (tumblr.js reports only the status and
 * `meta.msg`, "Forbidden"), explained with the user's limits (`GET /v2/user/limits`, the
 * documented way to read them): a spent limit means the daily limit (rate_limited until its
 * `reset_at`, else Tumblr's next day), as 403.8023/8004/8011 would have said; with nothing spent, a
 * post carrying a video most likely met 403.8010 (a video still transcoding). Null when neither
 * applies: the 403 stays an auth error (the account may not post to the blog).
 */
export function explainForbidden(
  site: CallSite,
  limits: { user?: Record<string, UserLimit | undefined> } | null,
  carriesVideo: boolean,
  now: number = Date.now(),
): PlatformError | null {
  const at = `${site.method} ${site.route}`;
  const spent = Object.entries(limits?.user ?? {}).filter(([, l]) => l?.remaining === 0);
  if (spent.length > 0) {
    const resets = spent.map(([, l]) => (l?.reset_at ?? 0) * 1000).filter((t) => t > now);
    const wait = resets.length > 0 ? Math.max(...resets) - now : nextTumblrDay(now) - now;
    const what = redact(spent.map(([name, l]) => l?.description ?? name).join('; '));
    return platformError(
      site,
      'rate_limited',
      `Tumblr's daily limit reached (${at}): ${what}. Retry in ${Math.ceil(wait / 1000)} s.`,
      { status: 403, retryAfterMs: wait },
    );
  }
  if (carriesVideo) {
    return platformError(site, 'rate_limited', `Tumblr is most likely still transcoding a video (${at}).`, {
      status: 403,
      retryAfterMs: waits.transcodingMs,
    });
  }
  return null;
}
