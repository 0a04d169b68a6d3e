import { PlatformError } from '../../core/errors.js';
import type { PublishInput, PublishResult } from '../platform.js';
import { type FacebookCheckpoint, readCheckpoint, toRecord } from './checkpoint.js';
import type { FacebookGraph } from './graph-client.js';
import { attachParams, planPost } from './payload.js';

/** One Page, ready to call: its id and a Graph client for posts and one for video uploads. */
export interface PageSession {
  pageId: string;
  graph: FacebookGraph;
  /** `graph-video.facebook.com`, where Meta documents video uploads. */
  videoGraph: FacebookGraph;
  now: () => number;
}

/** How far before `feedStartedAt` a post's `created_time` may be (clock skew between us and Meta). */
const skewMs = 5 * 60_000;
/** How many recent posts or videos reconcile reads. */
const recentLimit = '50';

interface ListedPost {
  id?: string;
  message?: string;
  description?: string;
  created_time?: string;
  permalink_url?: string;
}

/**
 * Publishes one delivery. With a checkpoint that says an earlier attempt reached the creating
 * call, it first looks for that attempt's post and returns it if found: the Graph API has no
 * idempotency key, so this is what keeps a retry from posting twice.
 */
export async function publishPost(page: PageSession, input: PublishInput): Promise<PublishResult> {
  const cp = readCheckpoint(input.checkpoint);
  if (cp.feedStartedAt !== undefined || cp.postId !== undefined) {
    const found = await findPost(page, input);
    if (found) return found;
  }
  const plan = planPost(input.content);
  const state: FacebookCheckpoint = { ...cp };
  const save = () => input.saveCheckpoint(toRecord(state));
  const startFinal = async () => {
    // The earliest start is kept: a post from any earlier attempt is found by the next reconcile.
    state.feedStartedAt ??= page.now();
    await save();
  };

  if (plan.kind === 'video') {
    await startFinal();
    const { id } = await page.videoGraph.post<{ id: string }>(`/${page.pageId}/videos`, plan.params, input.signal);
    state.postId = `${page.pageId}_${id}`;
    await save();
    return videoResult(page, id, input.signal);
  }

  let params = plan.kind === 'feed' ? plan.params : {};
  if (plan.kind === 'photos') {
    const ids = (state.photoIds ?? []).slice(0, plan.photos.length);
    for (const [i, photo] of plan.photos.entries()) {
      if (ids[i]) continue;
      const { id } = await page.graph.post<{ id: string }>(`/${page.pageId}/photos`, photo, input.signal);
      ids[i] = id;
      state.photoIds = [...ids];
      await save();
    }
    params = attachParams(plan.message, ids);
  }
  await startFinal();
  const { id } = await page.graph.post<{ id: string }>(`/${page.pageId}/feed`, params, input.signal);
  state.postId = id;
  await save();
  return postResult(page, id, input.signal);
}

/**
 * Finds the post an earlier attempt for `input.key` created, from its checkpoint: the post id if
 * the answer was recorded; for photos, the story the first photo became part of
 * (`page_story_id`); otherwise the oldest of the Page's recent posts (videos for a video) with
 * the same text, created after the attempt started. Null when no attempt reached the creating
 * call, or none of those finds a post.
 *
 * No invisible marker is used: a Page post has no hidden field the API lets us set and read back
 * (zero-width characters in the message would change what people copy and what Facebook counts),
 * so the match is on text and time. Two deliveries with the same text to the same Page within
 * minutes could match the same post; that is accepted over posting twice.
 */
export async function findPost(page: PageSession, input: PublishInput): Promise<PublishResult | null> {
  const cp = readCheckpoint(input.checkpoint);
  if (cp.postId) {
    return planPost(input.content).kind === 'video'
      ? videoResult(page, cp.postId.slice(cp.postId.indexOf('_') + 1), input.signal)
      : postResult(page, cp.postId, input.signal);
  }
  if (cp.feedStartedAt === undefined) return null;
  const plan = planPost(input.content);
  const after = cp.feedStartedAt - skewMs;
  const want = input.content.text.trim();

  if (plan.kind === 'video') {
    const list = await page.graph.get<{ data?: ListedPost[] }>(
      `/${page.pageId}/videos`,
      { fields: 'id,description,created_time,permalink_url', limit: recentLimit },
      input.signal,
    );
    const match = oldestMatch(list.data ?? [], after, (v) => (v.description ?? '').trim() === want);
    return match?.id ? { remoteId: `${page.pageId}_${match.id}`, url: absolute(match.permalink_url, match.id) } : null;
  }

  const firstPhoto = plan.kind === 'photos' ? cp.photoIds?.[0] : undefined;
  if (firstPhoto) {
    const photo = await page.graph.get<{ page_story_id?: string }>(
      `/${firstPhoto}`,
      { fields: 'page_story_id' },
      input.signal,
    );
    if (photo.page_story_id) return postResult(page, photo.page_story_id, input.signal);
  }
  const list = await page.graph.get<{ data?: ListedPost[] }>(
    `/${page.pageId}/published_posts`,
    {
      fields: 'id,message,created_time,permalink_url',
      since: String(Math.floor(after / 1000)),
      limit: recentLimit,
    },
    input.signal,
  );
  const match = oldestMatch(list.data ?? [], after, (p) => (p.message ?? '').trim() === want);
  return match?.id ? { remoteId: match.id, url: absolute(match.permalink_url, match.id) } : null;
}

function oldestMatch(items: ListedPost[], after: number, same: (p: ListedPost) => boolean): ListedPost | undefined {
  return items
    .filter((p) => p.id && same(p) && Date.parse(p.created_time ?? '') >= after)
    .sort((a, b) => Date.parse(a.created_time ?? '') - Date.parse(b.created_time ?? ''))[0];
}

/** The post's permalink; if reading it fails the post still exists, so a fallback URL is returned. */
async function postResult(page: PageSession, id: string, signal: AbortSignal): Promise<PublishResult> {
  try {
    const post = await page.graph.get<{ permalink_url?: string }>(`/${id}`, { fields: 'permalink_url' }, signal);
    return { remoteId: id, url: absolute(post.permalink_url, id) };
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    return { remoteId: id, url: `https://www.facebook.com/${id}` };
  }
}

/**
 * A video's result. Its Page post is `{page}_{video}`; its permalink is read from the video
 * (Meta gives it as a path, `/{page}/videos/{video}/`).
 */
async function videoResult(page: PageSession, videoId: string, signal: AbortSignal): Promise<PublishResult> {
  const remoteId = `${page.pageId}_${videoId}`;
  try {
    const video = await page.graph.get<{ permalink_url?: string }>(`/${videoId}`, { fields: 'permalink_url' }, signal);
    return { remoteId, url: absolute(video.permalink_url, `${page.pageId}/videos/${videoId}`) };
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    return { remoteId, url: `https://www.facebook.com/${page.pageId}/videos/${videoId}` };
  }
}

function absolute(permalink: string | undefined, fallbackPath: string): string {
  if (!permalink) return `https://www.facebook.com/${fallbackPath}`;
  return permalink.startsWith('/') ? `https://www.facebook.com${permalink}` : permalink;
}
