import { describe, expect, it } from 'vitest';
import { classifyChatError } from './chat-errors.js';

/** Errors shaped as the Slack WebClient and discord.js REST throw them. */
const slackPlatform = (error: string) =>
  Object.assign(new Error(error), { code: 'slack_webapi_platform_error', data: { ok: false, error } });
const discordApi = (status: number, code: number, message: string) =>
  Object.assign(new Error(message), { name: `DiscordAPIError[${code}]`, status, code });

describe('classifyChatError', () => {
  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive'])(
    'Slack %s can never be sent: dropped',
    (error) => {
      expect(classifyChatError('slack', slackPlatform(error))).toEqual({ kind: 'permanent', reason: error });
    },
  );

  it('a Slack 429 waits its Retry-After (seconds), a 5xx or a refused connection is tried again', () => {
    const limited = Object.assign(new Error('rate limited'), {
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
    expect(classifyChatError('slack', limited)).toEqual(
      expect.objectContaining({ kind: 'rate-limited', retryAfterMs: 7_000 }),
    );
    const http = Object.assign(new Error('An HTTP protocol error occurred: statusCode = 503'), {
      code: 'slack_webapi_http_error',
    });
    expect(classifyChatError('slack', http).kind).toBe('transient');
    expect(classifyChatError('slack', slackPlatform('internal_error')).kind).toBe('transient');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'slack_webapi_request_error' });
    expect(classifyChatError('slack', refused).kind).toBe('transient');
  });

  it('Discord Unknown Channel, Missing Access and Missing Permissions are dropped; 5xx and 429 are not', () => {
    expect(classifyChatError('discord', discordApi(404, 10003, 'Unknown Channel')).kind).toBe('permanent');
    expect(classifyChatError('discord', discordApi(403, 50001, 'Missing Access')).kind).toBe('permanent');
    expect(classifyChatError('discord', discordApi(403, 50013, 'Missing Permissions')).kind).toBe('permanent');
    expect(classifyChatError('discord', Object.assign(new Error('Service Unavailable'), { status: 503 })).kind).toBe(
      'transient',
    );
    const limited = Object.assign(new Error('rate limited'), { name: 'RateLimitError', retryAfter: 2_500 });
    expect(classifyChatError('discord', limited)).toEqual(
      expect.objectContaining({ kind: 'rate-limited', retryAfterMs: 2_500 }),
    );
    expect(classifyChatError('discord', new TypeError('fetch failed')).kind).toBe('transient');
  });
});
