import { PlatformError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import type { PlatformId } from '../../core/post.js';
import { defaultSleep } from '../http.js';
import type { PlatformDeps, PublishInput, PublishResult } from '../platform.js';
import type { ResolvedContent } from '../../core/content.js';
import { type GraphClient, GraphApiError, type GraphParams } from './graph.js';
import { linkCardUrl } from './link.js';
import { fitsAfterMs, type QuotaRow, quotaFor } from './quota.js';

/**
 * What differs between the Threads and Instagram container APIs; the flow in
 * {@link createContainerFlow} is otherwise the same.
 */
export interface ContainerDialect {
  platform: PlatformId;
  /** `threads` / `media`: where containers are created and published posts listed. */
  createPath: string;
  /** `threads_publish` / `media_publish`. */
  publishPath: string;
  /** `threads_publishing_limit` / `content_publishing_limit`. */
  quotaPath: string;
  /** `status` on Threads, `status_code` on Instagram. */
  statusField: string;
  /**
   * Why a container is in ERROR: `error_message` on Threads; on Instagram `status`, which holds
   * the error subcode then (an IG Container has no `error_message` field, and asking for a field
   * a node lacks is refused).
   */
  errorField: string;
  /** `text` on Threads, `caption` on Instagram. */
  textField: string;
  /** Parameters of one container for this item (media_type, image_url, alt_text, …). */
  itemParams(item: ResolvedContent['media'][number], inCarousel: boolean): GraphParams;
  /** Parameters for a container without media (Threads text posts); undefined where media is required. */
  textOnlyParams?: GraphParams;
  /** Threads' `link_attachment`: the link card of a text post (see `meta/link.ts`). */
  linkParam?: string;
  /** Threads: `reply_to_id`, replies listed at `/{user}/replies` and counted in their own quota. */
  replies?: { param: string; listPath: string };
}

export interface ContainerOptions {
  /** Waits between two looks at a container's status, in order; the last one repeats. */
  pollIntervalsMs: readonly number[];
  /**
   * Total wait for one container in one attempt. Past it the attempt fails as transient with the
   * container checkpointed, and the next attempt looks at the same container again: the whole
   * publish call must fit in the worker's lease, so five minutes of video processing are spread
   * over attempts rather than waited for in one.
   */
  maxWaitMs: number;
  /** Tries at publishing while Meta says the FINISHED media is "not found" / "not ready" yet. */
  publishTries: number;
  /** Wait between those tries. */
  publishRetryMs: number;
}

export const defaultContainerOptions = {
  pollIntervalsMs: [1_000, 2_000, 4_000, 8_000, 15_000],
  maxWaitMs: 60_000,
  publishTries: 3,
  publishRetryMs: 5_000,
} as const satisfies ContainerOptions;

/** What a publish attempt saves before its outcome can be lost. */
export interface ContainerCheckpoint {
  containerId: string;
  /** When the container was made (ISO); a published post is looked for from then on. */
  createdAt: string;
}

/** The account the calls are made for. */
export interface GraphAccount {
  userId: string;
  token: string;
}

/** Image or video: `mimeType` when known, else a `.mp4`/`.mov` URL is a video (the port's rule). */
export const isVideo = (item: { url: string; mimeType?: string | undefined }) =>
  item.mimeType ? item.mimeType.startsWith('video/') : /\.(mp4|mov)(\?|#|$)/i.test(item.url);

/** Meta's "the media is not there yet" right after FINISHED: Threads 24/4279009, Instagram 9007/2207027. */
const notReadyYet = (e: unknown) =>
  e instanceof GraphApiError &&
  ((e.graphCode === 24 && e.graphSubcode === 4279009) || e.graphCode === 9007 || e.graphSubcode === 2207027);

/** Published posts are looked for from a little before the container was made (clock skew). */
const skewMs = 10 * 60_000;

type Status = 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';

/**
 * The container flow Threads and Instagram share: make the container (children first for a
 * carousel), save its id as the delivery's checkpoint, wait until it is FINISHED, check the
 * publishing quota, publish it, and read its permalink.
 *
 * A later attempt (or `reconcile`) for the same key looks at the checkpointed container first:
 * PUBLISHED means the earlier attempt went out, so the post is found among the account's recent
 * posts (same text, made since the container) and never published again; IN_PROGRESS and
 * FINISHED are waited for and published as they are; EXPIRED and ERROR are made anew.
 */
export function createContainerFlow(
  deps: PlatformDeps,
  graph: GraphClient,
  dialect: ContainerDialect,
  options: Partial<ContainerOptions> = {},
) {
  const opts = { ...defaultContainerOptions, ...options };
  const sleep = deps.sleep ?? defaultSleep;
  const name = platformNames[dialect.platform];
  const fail = (kind: 'invalid' | 'transient', message: string) =>
    new PlatformError(kind, message, { platform: dialect.platform });

  async function status(id: string, account: GraphAccount, signal: AbortSignal) {
    const fields = `${dialect.statusField},${dialect.errorField}`;
    const found = await graph.get<Record<string, string | undefined>>(`/${id}`, { fields }, account.token, signal);
    return { status: (found[dialect.statusField] ?? 'IN_PROGRESS') as Status, error: found[dialect.errorField] };
  }

  /** Waits while IN_PROGRESS, at most `maxWaitMs`; ERROR is invalid with Meta's reason. */
  async function settled(
    id: string,
    account: GraphAccount,
    signal: AbortSignal,
  ): Promise<Exclude<Status, 'ERROR' | 'IN_PROGRESS'>> {
    let waited = 0;
    for (let i = 0; ; i++) {
      const s = await status(id, account, signal);
      if (s.status === 'ERROR') {
        throw fail('invalid', `${name} could not process the media${s.error ? `: ${s.error}` : ''}.`);
      }
      if (s.status !== 'IN_PROGRESS') return s.status;
      const wait = opts.pollIntervalsMs[Math.min(i, opts.pollIntervalsMs.length - 1)] ?? 5_000;
      if (waited + wait > opts.maxWaitMs) {
        throw fail(
          'transient',
          `${name} is still processing the media after ${Math.round(waited / 1000)} s; the next attempt looks again.`,
        );
      }
      await sleep(wait, signal);
      waited += wait;
    }
  }

  /**
   * Makes the post's container. A carousel's children are made first, each saved in the
   * checkpoint as it exists and waited for until ready, so an attempt that runs out of time while
   * a video child processes leaves them for the next attempt instead of making them again.
   */
  async function create(input: PublishInput, account: GraphAccount, createdAt: string): Promise<string> {
    const { text, media } = input.content;
    const path = `/${account.userId}/${dialect.createPath}`;
    const reply = input.replyTo && dialect.replies ? { [dialect.replies.param]: input.replyTo.parent.remoteId } : {};
    const textParam = text ? { [dialect.textField]: text } : {};
    let params: GraphParams;
    if (media.length > 1) {
      const saved = input.checkpoint?.children;
      const children = Array.isArray(saved) && saved.length <= media.length ? saved.map(String) : [];
      for (let i = 0; i < media.length; i++) {
        const item = media[i] as ResolvedContent['media'][number];
        let id = children[i];
        // A carousel can only be made of ready children (Instagram answers 9007/2207027
        // otherwise); an image is usually FINISHED at the first look. An expired one is remade.
        if (!id || (await settled(id, account, input.signal)) !== 'FINISHED') {
          id = (await graph.post<{ id: string }>(path, dialect.itemParams(item, true), account.token, input.signal)).id;
          children[i] = id;
          await input.saveCheckpoint({ children: [...children], createdAt });
          if ((await settled(id, account, input.signal)) !== 'FINISHED') {
            throw fail('transient', `${name} let a carousel item expire before the carousel was made.`);
          }
        }
      }
      params = { media_type: 'CAROUSEL', children: children.join(','), ...textParam, ...reply };
    } else if (media[0]) {
      params = { ...dialect.itemParams(media[0], false), ...textParam, ...reply };
    } else if (dialect.textOnlyParams) {
      const card = dialect.linkParam ? linkCardUrl(input.content) : undefined;
      const link = card && dialect.linkParam ? { [dialect.linkParam]: card } : {};
      params = { ...dialect.textOnlyParams, ...textParam, ...link, ...reply };
    } else {
      throw fail('invalid', `${name} needs an image or a video.`);
    }
    const { id } = await graph.post<{ id: string }>(path, params, account.token, input.signal);
    return id;
  }

  /** The posts list this post shows up in: replies have their own on Threads. */
  const listPath = (input: PublishInput, account: GraphAccount) =>
    `/${account.userId}/${input.replyTo && dialect.replies ? dialect.replies.listPath : dialect.createPath}`;

  async function recent(input: PublishInput, account: GraphAccount, sinceMs: number) {
    const list = await graph.get<{ data?: Record<string, unknown>[] }>(
      listPath(input, account),
      {
        fields: `id,permalink,timestamp,${dialect.textField}`,
        since: Math.floor(sinceMs / 1000),
        limit: 100,
      },
      account.token,
      input.signal,
    );
    return (list.data ?? []).filter((m) => Date.parse(String(m.timestamp ?? '')) >= sinceMs);
  }

  async function checkQuota(input: PublishInput, account: GraphAccount): Promise<void> {
    const reply = Boolean(input.replyTo && dialect.replies);
    const answer = await graph.get<{ data?: QuotaRow[] }>(
      `/${account.userId}/${dialect.quotaPath}`,
      { fields: reply ? 'reply_quota_usage,reply_config' : 'quota_usage,config' },
      account.token,
      input.signal,
    );
    const quota = quotaFor(answer.data?.[0], reply);
    if (!quota || quota.usage < quota.total) return;
    const now = Date.now();
    // The window rolls: a slot frees when the oldest post in it leaves.
    const posted = await recent(input, account, now - quota.durationMs).catch(() => []);
    const retryAfterMs = fitsAfterMs(
      quota,
      posted.map((m) => Date.parse(String(m.timestamp))),
      now,
    );
    throw new PlatformError(
      'rate_limited',
      `${name} publishing limit reached (${quota.usage} of ${quota.total} ${reply ? 'replies ' : ''}in ${Math.round(quota.durationMs / 3_600_000)} h); retry in ${Math.ceil(retryAfterMs / 60_000)} min.`,
      { platform: dialect.platform, retryAfterMs },
    );
  }

  async function publishContainer(id: string, input: PublishInput, account: GraphAccount): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const path = `/${account.userId}/${dialect.publishPath}`;
        const { id: mediaId } = await graph.post<{ id: string }>(
          path,
          { creation_id: id },
          account.token,
          input.signal,
        );
        return mediaId;
      } catch (e) {
        if (!notReadyYet(e)) throw e;
        if (attempt >= opts.publishTries) {
          // Documented as temporary: the next attempt publishes the same (FINISHED) container.
          throw new PlatformError('transient', `${name} does not find the processed media yet; retried later.`, {
            platform: dialect.platform,
            cause: e,
          });
        }
        await sleep(opts.publishRetryMs, input.signal);
      }
    }
  }

  async function resultFor(mediaId: string, account: GraphAccount, signal: AbortSignal): Promise<PublishResult> {
    const found = await graph.get<{ permalink?: string }>(
      `/${mediaId}`,
      { fields: 'permalink' },
      account.token,
      signal,
    );
    return { remoteId: mediaId, url: found.permalink ?? '' };
  }

  /** The account's post made from this checkpoint's container: same text, made since the container (oldest first). */
  async function findPublished(input: PublishInput, account: GraphAccount, cp: ContainerCheckpoint) {
    const since = (Date.parse(cp.createdAt) || Date.now() - 86_400_000) - skewMs;
    const want = input.content.text.trim();
    const matches = (await recent(input, account, since)).filter(
      (m) => String(m[dialect.textField] ?? '').trim() === want && typeof m.id === 'string',
    );
    const match = matches.at(-1);
    return match ? { remoteId: String(match.id), url: String(match.permalink ?? '') } : null;
  }

  const checkpointOf = (input: PublishInput): ContainerCheckpoint | undefined => {
    const id = input.checkpoint?.containerId;
    if (typeof id !== 'string' || id === '') return undefined;
    const at = input.checkpoint?.createdAt;
    return { containerId: id, createdAt: typeof at === 'string' ? at : new Date(0).toISOString() };
  };

  async function goneOut(input: PublishInput, account: GraphAccount, cp: ContainerCheckpoint): Promise<PublishResult> {
    const found = await findPublished(input, account, cp);
    if (found) return found;
    throw fail('transient', `${name} says the post went out but it is not among the account's recent posts yet.`);
  }

  return {
    /** Publishes `input`, resuming from its checkpoint; see {@link createContainerFlow}. */
    async publish(input: PublishInput, account: GraphAccount): Promise<PublishResult> {
      let cp = checkpointOf(input);
      if (cp) {
        const earlier = await status(cp.containerId, account, input.signal);
        if (earlier.status === 'PUBLISHED') return goneOut(input, account, cp);
        if (earlier.status === 'EXPIRED' || earlier.status === 'ERROR') cp = undefined;
      }
      for (let made = 0; made < 2; made++) {
        if (!cp) {
          const createdAt = new Date().toISOString();
          const containerId = await create(input, account, createdAt);
          cp = { containerId, createdAt };
          await input.saveCheckpoint({ ...cp });
        }
        const state = await settled(cp.containerId, account, input.signal);
        if (state === 'PUBLISHED') return goneOut(input, account, cp);
        if (state === 'FINISHED') {
          await checkQuota(input, account);
          const mediaId = await publishContainer(cp.containerId, input, account);
          return resultFor(mediaId, account, input.signal);
        }
        cp = undefined; // EXPIRED (24 h unpublished): made anew, once per attempt
      }
      throw fail('transient', `${name} let the media container expire twice.`);
    },

    /** The post an earlier attempt for this key published, or null when none went out. */
    async reconcile(input: PublishInput, account: GraphAccount): Promise<PublishResult | null> {
      const cp = checkpointOf(input);
      // No container saved: the attempt stopped before one existed, so nothing can have gone out.
      if (!cp) return null;
      const earlier = await status(cp.containerId, account, input.signal);
      if (earlier.status !== 'PUBLISHED') return null;
      return findPublished(input, account, cp);
    },
  };
}
