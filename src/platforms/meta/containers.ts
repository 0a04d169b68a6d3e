import { PlatformError } from '../../core/errors.js';
import type { PlatformId } from '../../core/post.js';
import { defaultSleep } from '../http.js';
import type { PlatformDeps, PublishInput, PublishResult, ResolvedContent } from '../platform.js';
import type { GraphClient } from './graph.js';

/**
 * The container flow Threads and Instagram share: create a media container (children first for
 * a carousel), save its id as the delivery's checkpoint, wait until it is FINISHED, check the
 * publishing quota, publish it, and read its permalink. A retry with a checkpoint looks at the
 * container first: PUBLISHED means the earlier attempt went out (found in the account's recent
 * media, never published again), FINISHED is published as it is, EXPIRED is made anew.
 */
export interface ContainerDialect {
  platform: PlatformId;
  /** `threads` / `media`: where containers are created and recent posts listed. */
  createPath: string;
  /** `threads_publish` / `media_publish`. */
  publishPath: string;
  /** `threads_publishing_limit` / `content_publishing_limit`. */
  quotaPath: string;
  /** `status` on Threads, `status_code` on Instagram. */
  statusField: string;
  /** `text` on Threads, `caption` on Instagram. */
  textField: string;
  /** Parameters of one container for these items (media_type, image_url, …). */
  itemParams(item: ResolvedContent['media'][number], inCarousel: boolean): Record<string, string>;
  /** Parameters for a container without media (Threads text posts); undefined where media is required. */
  textOnlyParams?: Record<string, string>;
  /** Parameters that make the post a reply (Threads: `reply_to_id`). */
  replyParams?(parentId: string): Record<string, string>;
}

export interface ContainerOptions {
  /** Wait between two looks at a container's status. */
  pollMs: number;
  /** Looks before giving up (transient: the next attempt looks again, at the same container). */
  polls: number;
  /** Tries at publishing when the API says "media not found" just after FINISHED. */
  publishTries: number;
}

export const defaultContainerOptions = {
  pollMs: 10_000,
  polls: 30,
  publishTries: 3,
} as const satisfies ContainerOptions;

interface Account {
  userId: string;
  token: string;
}

const isVideo = (item: { url: string; mimeType?: string | undefined }) =>
  item.mimeType ? item.mimeType.startsWith('video/') : /\.(mp4|mov)(\?|$)/i.test(item.url);

export { isVideo };

export function createContainerFlow(
  deps: PlatformDeps,
  graph: GraphClient,
  dialect: ContainerDialect,
  options: Partial<ContainerOptions> = {},
) {
  const opts = { ...defaultContainerOptions, ...options };
  const sleep = deps.sleep ?? defaultSleep;
  const fail = (kind: 'invalid' | 'transient', message: string) =>
    new PlatformError(kind, message, { platform: dialect.platform });
  const name = dialect.platform === 'threads' ? 'Threads' : 'Instagram';

  async function status(id: string, account: Account, signal: AbortSignal) {
    const fields = `${dialect.statusField},error_message`;
    const found = await graph.get<Record<string, string | undefined>>(`/${id}`, { fields }, account.token, signal);
    return { status: found[dialect.statusField] ?? 'IN_PROGRESS', error: found.error_message };
  }

  async function create(input: PublishInput, account: Account): Promise<string> {
    const { text, media } = input.content;
    const path = `/${account.userId}/${dialect.createPath}`;
    const reply = input.replyTo && dialect.replyParams ? dialect.replyParams(input.replyTo.parent.remoteId) : {};
    const textParam = text ? { [dialect.textField]: text } : {};
    let params: Record<string, string>;
    if (media.length > 1) {
      const children: string[] = [];
      for (const item of media) {
        const child = await graph.post<{ id: string }>(
          path,
          dialect.itemParams(item, true),
          account.token,
          input.signal,
        );
        children.push(child.id);
      }
      params = { media_type: 'CAROUSEL', children: children.join(','), ...textParam, ...reply };
    } else if (media[0]) {
      params = { ...dialect.itemParams(media[0], false), ...textParam, ...reply };
    } else if (dialect.textOnlyParams) {
      params = { ...dialect.textOnlyParams, ...textParam, ...reply };
    } else {
      throw fail('invalid', `${name} needs an image or a video.`);
    }
    const { id } = await graph.post<{ id: string }>(path, params, account.token, input.signal);
    return id;
  }

  /** Waits for FINISHED; ERROR is invalid (with Meta's reason), EXPIRED returns false. */
  async function ready(
    id: string,
    account: Account,
    signal: AbortSignal,
  ): Promise<'FINISHED' | 'PUBLISHED' | 'EXPIRED'> {
    for (let i = 0; i < opts.polls; i++) {
      const s = await status(id, account, signal);
      if (s.status === 'FINISHED' || s.status === 'PUBLISHED' || s.status === 'EXPIRED') return s.status;
      if (s.status === 'ERROR')
        throw fail('invalid', `${name} could not process the media${s.error ? `: ${s.error}` : ''}.`);
      await sleep(opts.pollMs, signal);
    }
    throw fail('transient', `${name} is still processing the media after ${opts.polls} checks.`);
  }

  async function checkQuota(input: PublishInput, account: Account): Promise<void> {
    const fields = input.replyTo ? 'reply_quota_usage,reply_config' : 'quota_usage,config';
    const answer = await graph.get<{ data?: Record<string, unknown>[] }>(
      `/${account.userId}/${dialect.quotaPath}`,
      { fields },
      account.token,
      input.signal,
    );
    const row = answer.data?.[0] ?? {};
    const usage = Number(row[input.replyTo ? 'reply_quota_usage' : 'quota_usage'] ?? 0);
    const config = (row[input.replyTo ? 'reply_config' : 'config'] ?? {}) as {
      quota_total?: number;
      quota_duration?: number;
    };
    if (config.quota_total !== undefined && usage >= config.quota_total) {
      // The window rolls: without a time per post, the safe wait is a share of the window.
      const windowMs = (config.quota_duration ?? 86_400) * 1000;
      const retryAfterMs = Math.max(60_000, Math.round(windowMs / config.quota_total));
      throw new PlatformError(
        'rate_limited',
        `${name} publishing limit reached (${usage} of ${config.quota_total} in ${Math.round(windowMs / 3_600_000)} h); rescheduled.`,
        { platform: dialect.platform, retryAfterMs },
      );
    }
  }

  async function publishContainer(id: string, input: PublishInput, account: Account): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { id: mediaId } = await graph.post<{ id: string }>(
          `/${account.userId}/${dialect.publishPath}`,
          { creation_id: id },
          account.token,
          input.signal,
        );
        return mediaId;
      } catch (e) {
        // Right after FINISHED the API may still say the media is not there (code 24 / 4279009).
        const notYet = e instanceof PlatformError && /\(code 24\b|4279009/.test(e.message);
        if (!notYet || attempt >= opts.publishTries) throw e;
        await sleep(opts.pollMs, input.signal);
      }
    }
  }

  async function resultFor(mediaId: string, account: Account, signal: AbortSignal): Promise<PublishResult> {
    const found = await graph.get<{ permalink?: string }>(
      `/${mediaId}`,
      { fields: 'permalink' },
      account.token,
      signal,
    );
    return { remoteId: mediaId, url: found.permalink ?? '' };
  }

  /** The newest of the account's recent posts with this text (a container already PUBLISHED). */
  async function findPublished(input: PublishInput, account: Account): Promise<PublishResult | null> {
    const list = await graph.get<{ data?: Record<string, string | undefined>[] }>(
      `/${account.userId}/${dialect.createPath}`,
      { fields: `id,permalink,timestamp,${dialect.textField}`, limit: '25' },
      account.token,
      input.signal,
    );
    const want = input.content.text.trim();
    const match = list.data?.find((m) => (m[dialect.textField] ?? '').trim() === want);
    return match?.id ? { remoteId: match.id, url: match.permalink ?? '' } : null;
  }

  return {
    async publish(input: PublishInput, account: Account): Promise<PublishResult> {
      let id = typeof input.checkpoint?.containerId === 'string' ? input.checkpoint.containerId : undefined;
      if (id) {
        const earlier = await status(id, account, input.signal);
        if (earlier.status === 'PUBLISHED') {
          const found = await findPublished(input, account);
          if (found) return found;
          throw fail('transient', `${name} says the post went out but it is not among the account's recent posts yet.`);
        }
        if (earlier.status === 'EXPIRED' || earlier.status === 'ERROR') id = undefined;
      }
      for (let fresh = 0; fresh < 2; fresh++) {
        if (!id) {
          id = await create(input, account);
          await input.saveCheckpoint({ containerId: id });
        }
        const state = await ready(id, account, input.signal);
        if (state === 'PUBLISHED') {
          const found = await findPublished(input, account);
          if (found) return found;
        }
        if (state === 'FINISHED') {
          await checkQuota(input, account);
          return resultFor(await publishContainer(id, input, account), account, input.signal);
        }
        id = undefined; // EXPIRED: make it again, once
      }
      throw fail('transient', `${name} let the media container expire twice.`);
    },

    async reconcile(input: PublishInput, account: Account): Promise<PublishResult | null> {
      const id = typeof input.checkpoint?.containerId === 'string' ? input.checkpoint.containerId : undefined;
      // No container saved: the crash came before one existed, so nothing can have been published.
      if (!id) return null;
      const earlier = await status(id, account, input.signal);
      return earlier.status === 'PUBLISHED' ? findPublished(input, account) : null;
    },
  };
}
