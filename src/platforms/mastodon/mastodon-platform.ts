import { createHash } from 'node:crypto';
import { defaultSleep } from '../http.js';
import type { AccountContext, Platform, PlatformDeps, PublishInput, PublishResult } from '../platform.js';
import { MastodonClient, type MastodonStatus, site } from './client.js';
import { parseCredentials } from './credentials.js';
import { type InstanceLimits, InstanceLimitsCache, rulesFor } from './instance.js';
import { uploadMedia } from './media.js';
import { findEarlierStatus, type MastodonCheckpoint, readCheckpoint } from './reconcile.js';
import { statusFields, statusOptions } from './status-options.js';
import { validateContent } from './validate.js';

/** Tuning of the adapter; tests shorten the waits and inject a clock. */
export interface MastodonAdapterOptions {
  /** How often to ask whether an uploaded attachment is processed. */
  mediaPollMs: number;
  /** How many times to ask before giving up (transient). 60 × 2 s: two minutes of video processing. */
  mediaPolls: number;
  /** How long instance limits are kept. */
  instanceTtlMs: number;
  /** How long uploaded but unattached media is reused by a retry (Mastodon removes it after a day). */
  mediaReuseMs: number;
  /** Statuses per page and pages reconcile reads at most. */
  reconcilePageSize: number;
  reconcilePages: number;
  /** Tolerated difference between our clock and the instance's. */
  clockSkewMs: number;
  clock: () => number;
}

const defaults = {
  mediaPollMs: 2_000,
  mediaPolls: 60,
  instanceTtlMs: 3_600_000,
  mediaReuseMs: 6 * 3_600_000,
  reconcilePageSize: 40,
  reconcilePages: 3,
  clockSkewMs: 120_000,
  clock: Date.now,
} as const satisfies Required<MastodonAdapterOptions>;

/**
 * The Mastodon adapter, for any instance and any Mastodon-API server. Limits come from the
 * instance and are cached per instance URL. Every status is created with an `Idempotency-Key`
 * derived from `input.key`, so a retry within Mastodon's window (about an hour) gets the first
 * status back; uploaded media ids and the time of the attempt are saved as a checkpoint, so a
 * retry does not upload again and `reconcile` can search the account's statuses past that window.
 * Credentials: see credentials.ts.
 *
 * @example
 * const mastodon = createMastodonPlatform({ fetch, timeoutMs: 15_000 });
 * const rules = await mastodon.rules({ account, credentials, signal });
 */
export function createMastodonPlatform(deps: PlatformDeps, options: Partial<MastodonAdapterOptions> = {}): Platform {
  const opts = { ...defaults, ...options };
  const instances = new InstanceLimitsCache(deps, opts.instanceTtlMs, opts.clock);
  const polling = { pollMs: opts.mediaPollMs, polls: opts.mediaPolls, sleep: deps.sleep ?? defaultSleep };
  const limitsFor = (ctx: AccountContext): Promise<InstanceLimits> =>
    instances.get(parseCredentials(ctx.credentials).instanceUrl, ctx.signal);
  const resultOf = (s: MastodonStatus): PublishResult => ({ remoteId: s.id, url: s.url ?? s.uri });
  const verifyCredentials = site('GET', '/api/v1/accounts/verify_credentials');

  /** Media of an earlier attempt if recent enough, else uploads; saves the checkpoint before posting. */
  async function prepare(client: MastodonClient, input: PublishInput): Promise<MastodonCheckpoint> {
    const earlier = readCheckpoint(input.checkpoint);
    const now = opts.clock();
    if (
      earlier &&
      earlier.mediaIds.length === input.content.media.length &&
      now - earlier.postingAt < opts.mediaReuseMs
    ) {
      return earlier;
    }
    const mediaIds = await uploadMedia(client, input, polling);
    const checkpoint = { mediaIds, postingAt: earlier?.postingAt ?? now };
    await input.saveCheckpoint({ ...checkpoint });
    return checkpoint;
  }

  return {
    id: 'mastodon',

    rules: async (ctx) => rulesFor(await limitsFor(ctx)),

    validate: async (content, ctx) => validateContent(content, await limitsFor(ctx)),

    async imageLimits(ctx) {
      const limits = await limitsFor(ctx);
      return { maxBytes: limits.imageSizeLimit, maxPixels: limits.imageMatrixLimit };
    },

    async verify(credentials, signal) {
      const creds = parseCredentials(credentials);
      const client = new MastodonClient(deps, creds);
      const me = await client.ok<{ id: string; username: string }>(verifyCredentials, verifyCredentials.route, signal);
      const { domain } = await instances.get(creds.instanceUrl, signal);
      return {
        handle: `@${me.username}@${domain ?? new URL(creds.instanceUrl).host}`,
        remoteId: me.id,
        credentials: { ...credentials, instanceUrl: creds.instanceUrl, accountId: me.id },
      };
    },

    async publish(input) {
      const creds = parseCredentials(input.credentials);
      const client = new MastodonClient(deps, creds);
      const { mediaIds } = await prepare(client, input);
      const at = site('POST', '/api/v1/statuses');
      const status = await client.ok<MastodonStatus>(at, at.route, input.signal, {
        headers: { 'idempotency-key': idempotencyKey(input.key) },
        json: {
          status: input.content.text,
          ...(mediaIds.length > 0 ? { media_ids: mediaIds } : {}),
          ...(input.replyTo ? { in_reply_to_id: input.replyTo.parent.remoteId } : {}),
          ...statusFields(statusOptions(input.content, creds)),
        },
      });
      return resultOf(status);
    },

    /** See findEarlierStatus (reconcile.ts) for how, and what it cannot find. */
    async reconcile(input) {
      const creds = parseCredentials(input.credentials);
      const client = new MastodonClient(deps, creds);
      const accountId =
        creds.accountId ??
        (await client.ok<{ id: string }>(verifyCredentials, verifyCredentials.route, input.signal)).id;
      const found = await findEarlierStatus(client, accountId, input, {
        pageSize: opts.reconcilePageSize,
        pages: opts.reconcilePages,
        clockSkewMs: opts.clockSkewMs,
      });
      return found ? resultOf(found) : null;
    },
  };
}

/** The same key on every attempt at one post: Mastodon returns the first status for a repeat. */
export function idempotencyKey(key: string): string {
  return `hayon-${createHash('sha256').update(`hayon:mastodon:${key}`).digest('hex').slice(0, 40)}`;
}
