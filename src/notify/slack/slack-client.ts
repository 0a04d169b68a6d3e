import { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { boltLogger } from './bolt-logger.js';

/**
 * How hayon calls Slack's Web API: a few quick retries and a timeout (the default policy retries
 * for 30 minutes, which would hold a worker's slot that long while Slack is down; a 429 still
 * waits its Retry-After). The Bolt app of `hayon serve` and the client below use the same.
 */
export function slackClientOptions(apiUrl: string, log: Logger) {
  return {
    slackApiUrl: apiUrl,
    logger: boltLogger(log),
    timeout: 10_000,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  };
}

/** Slack's Web API client alone (replies in threads, alerts): no Bolt app, no receiver. */
export function createSlackClient(botToken: string, apiUrl: string, log: Logger): webApi.WebClient {
  return new webApi.WebClient(botToken, slackClientOptions(apiUrl, log));
}

/**
 * The same bot for the chat outbox's sender: no retries of its own and a 429 thrown (its
 * `retryAfter` in seconds) rather than waited out, so an outage or a long rate limit puts the
 * message back in the outbox instead of holding the sender.
 */
export function outboxSlackClient(client: webApi.WebClient, log: Logger): webApi.WebClient {
  return new webApi.WebClient(client.token, {
    ...slackClientOptions(client.slackApiUrl, log),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}
