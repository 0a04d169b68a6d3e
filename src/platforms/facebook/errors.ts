import type { PlatformError } from '../../core/errors.js';
import { type CallSite, type HttpAnswer, platformError, redact } from '../http.js';
import { graphError, toPlatformError } from '../meta/graph.js';

/**
 * Maps a Graph API error answer for a Page call onto the four kinds. Meta's shared mapping
 * (`meta/graph.ts`: 190 → auth; 4, 17, 32, 613 and 429 → rate_limited; 5xx and transient codes →
 * transient; other 4xx → invalid) is kept, with two Page-specific decisions on top:
 *
 * - Permission errors (code 10, and 200–299: the token's user lost the CREATE_CONTENT task or the
 *   app lost `pages_manage_posts`) are `auth`: only reconnecting the Page fixes them.
 * - 368 ("deemed abusive or otherwise disallowed", the temporary posting block) is `invalid`:
 *   the block lasts hours to days and retrying while blocked can extend it, so the delivery fails
 *   with a sentence that says so instead of being retried.
 */
export function toFacebookError(answer: HttpAnswer, at: CallSite, now: number = Date.now()): PlatformError {
  const e = graphError(answer);
  const code = e?.code;
  const detail = `${e?.message ? `: ${redact(e.message)}` : ''} (code ${code}${e?.error_subcode ? `/${e.error_subcode}` : ''})`;
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return platformError(
      at,
      'auth',
      `Facebook says the Page token lacks a permission${detail}; reconnect the Page with a user who can create content on it.`,
      { status: answer.status },
    );
  }
  if (code === 368) {
    return platformError(
      at,
      'invalid',
      `Facebook blocked this action as abusive or temporarily disallowed${detail}; not retried, check the Page's notifications before posting again.`,
      { status: answer.status },
    );
  }
  return toPlatformError(answer, at, now);
}
