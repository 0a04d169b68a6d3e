import { createHash } from 'node:crypto';
import { PlatformError } from '../../core/errors.js';
import { defaultSleep } from '../http.js';
import type { AccountContext, Platform, PlatformDeps, PublishInput, PublishResult } from '../platform.js';
import { MastodonApi, type MastodonStatus, site } from './api.js';
import { type MastodonCredentials, parseCredentials } from './credentials.js';
import { AccountInstanceUrls, defaultLimits, type InstanceLimits, InstanceLimitsCache, rulesFor } from './instance.js';
import { uploadMedia } from './media.js';
import { findEarlierStatus, type MastodonCheckpoint, readCheckpoint } from './reconcile.js';
import { statusParams, statusOptions } from './status-options.js';
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
 * Every call goes through masto (api.ts) to the instance at its URL, with the global fetch:
 * `deps.fetch` is not used; `deps.timeoutMs` bounds each call, with the caller's signal.
 *
 * @example
 * const mastodon = createMastodonPlatform({ fetch, timeoutMs: 15_000 });
 * const rules = await mastodon.rules({ account, credentials, signal });
 */
export function createMastodonPlatform(deps: PlatformDeps, options: Partial<MastodonAdapterOptions> = {}): Platform {
  const opts = { ...defaults, ...options };
  const instances = new InstanceLimitsCache(deps.timeoutMs, opts.instanceTtlMs, opts.clock);
  const polling = { pollMs: opts.mediaPollMs, polls: opts.mediaPolls, sleep: deps.sleep ?? defaultSleep };
  const instanceUrls = new AccountInstanceUrls();
  const limitsFor = (ctx: AccountContext): Promise<InstanceLimits> =>
    instances.get(
      instanceUrls.get(ctx.account, () => parseCredentials(ctx.credentials).instanceUrl),
      ctx.signal,
    );
  const resultOf = (s: MastodonStatus): PublishResult => ({ remoteId: s.id, url: s.url ?? s.uri });
  const apiFor = (creds: MastodonCredentials) =>
    new MastodonApi(creds.instanceUrl, creds.accessToken, deps.timeoutMs, opts.clock);
  const verifyCredentials = (api: MastodonApi, signal: AbortSignal) =>
    api.call(site('GET', '/api/v1/accounts/verify_credentials'), signal, (c) => c.v1.accounts.verifyCredentials());

  /** Media of an earlier attempt if recent enough, else uploads; saves the checkpoint before posting. */
  async function prepare(api: MastodonApi, creds: MastodonCredentials, input: PublishInput) {
    const earlier = readCheckpoint(input.checkpoint);
    const now = opts.clock();
    if (
      earlier &&
      earlier.mediaIds.length === input.content.media.length &&
      now - earlier.postingAt < opts.mediaReuseMs
    ) {
      return earlier;
    }
    const limits =
      input.content.media.length > 0 ? await instances.get(creds.instanceUrl, input.signal) : defaultLimits;
    const mediaIds = await uploadMedia(api, input, limits, polling);
    const checkpoint: MastodonCheckpoint = { mediaIds, postingAt: earlier?.postingAt ?? now };
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
      const me = await verifyCredentials(apiFor(creds), signal);
      const { domain } = await instances.get(creds.instanceUrl, signal);
      return {
        handle: `@${me.username}@${domain ?? new URL(creds.instanceUrl).host}`,
        remoteId: me.id,
        credentials: { ...credentials, instanceUrl: creds.instanceUrl, accountId: me.id },
      };
    },

    async publish(input) {
      const creds = parseCredentials(input.credentials);
      const api = apiFor(creds);
      const { mediaIds } = await prepare(api, creds, input);
      const status = await api.call(site('POST', '/api/v1/statuses'), input.signal, (c) =>
        c.v1.statuses.create(
          {
            status: input.content.text,
            ...(mediaIds.length > 0 ? { mediaIds } : {}),
            ...(input.replyTo ? { inReplyToId: input.replyTo.parent.remoteId } : {}),
            ...statusParams(statusOptions(input.content, creds)),
          },
          // masto's documented way to add a header to one call: its requestInit.
          { requestInit: { headers: { 'Idempotency-Key': idempotencyKey(input.key) } } },
        ),
      );
      return resultOf(status);
    },

    /** See findEarlierStatus (reconcile.ts) for how, and what it cannot find. */
    async reconcile(input) {
      const creds = parseCredentials(input.credentials);
      const api = apiFor(creds);
      const accountId = creds.accountId ?? (await verifyCredentials(api, input.signal)).id;
      const found = await findEarlierStatus(api, accountId, input, {
        pageSize: opts.reconcilePageSize,
        pages: opts.reconcilePages,
        clockSkewMs: opts.clockSkewMs,
      });
      return found ? resultOf(found) : null;
    },

    /** `DELETE /api/v1/statuses/:id` for each status, the last reply first; a 404 means it is gone already. */
    async remove(input) {
      const api = apiFor(parseCredentials(input.credentials));
      for (const post of [...input.posts].reverse()) {
        await api
          .call(site('DELETE', '/api/v1/statuses/:id'), input.signal, (c) =>
            c.v1.statuses.$select(post.remoteId).remove(),
          )
          .catch((e: unknown) => {
            if (!(e instanceof PlatformError && e.httpStatus === 404)) throw e;
          });
      }
    },
  };
}

/** The same key on every attempt at one post: Mastodon returns the first status for a repeat. */
export function idempotencyKey(key: string): string {
  return `hayon-${createHash('sha256').update(`hayon:mastodon:${key}`).digest('hex').slice(0, 40)}`;
}
