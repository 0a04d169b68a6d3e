import { type AppBskyEmbedVideo, type BlobRef, XRPCError } from '@atproto/api';
import { deadline } from '../../core/deadline.js';
import type { ResolvedMedia } from '../../core/content.js';
import { PlatformError } from '../../core/errors.js';
import { mp4Info } from '../../core/mp4-info.js';
import { defaultSleep } from '../http.js';
import type { LoadedMedia, MediaLoader, PlatformDeps } from '../platform.js';
import { type Route, rethrow, routes } from './errors.js';
import type { AccountSession } from './session.js';
import { blueskyLimits } from './validate.js';

/** How the video service's job is waited for. */
export const videoJobPolling = {
  /** Between two `getJobStatus` calls (the Bluesky app polls about once a second). */
  intervalMs: 1_500,
  /** Then the attempt fails as transient and is tried again later (the service answers a video it has seen with its blob). */
  maxWaitMs: 5 * 60_000,
} as const;

/**
 * Uploads a post's video and returns its `app.bsky.embed.video` embed (alt text, aspect ratio).
 * With a video service (`deps.blueskyVideoUrl`), as Bluesky's own app does it: a service-auth
 * token for the account's PDS (`com.atproto.server.getServiceAuth`, bound to `uploadBlob`),
 * `app.bsky.video.uploadVideo` to the service, then `app.bsky.video.getJobStatus` polled until the
 * processed video is stored on the PDS as a blob. Without one, the video goes to the PDS as a
 * plain blob (`uploadBlob`), as a PDS without a video service takes it.
 */
export async function uploadVideo(
  session: AccountSession,
  item: ResolvedMedia,
  loadMedia: MediaLoader,
  signal: AbortSignal,
  deps: PlatformDeps,
): Promise<AppBskyEmbedVideo.Main> {
  const loaded = await loadMedia(item, signal);
  const info = mp4Info(loaded.bytes);
  checkVideo(loaded, info?.durationMs);
  const blob = deps.blueskyVideoUrl
    ? await throughVideoService(session, loaded.bytes, deps.blueskyVideoUrl, signal, deps)
    : (
        await session.call(routes.uploadBlob, (agent) =>
          agent.com.atproto.repo.uploadBlob(loaded.bytes, { encoding: 'video/mp4' }),
        )
      ).data.blob;
  const width = info?.width ?? item.width;
  const height = info?.height ?? item.height;
  const alt = loaded.alt ?? item.alt;
  return {
    $type: 'app.bsky.embed.video',
    video: blob,
    ...(alt ? { alt } : {}),
    ...(width && height ? { aspectRatio: { width, height } } : {}),
  };
}

/** What the door could not check for posts stored before their video's header was read. */
function checkVideo(loaded: LoadedMedia, durationMs: number | undefined): void {
  const fail = (message: string) => new PlatformError('invalid', message, { platform: 'bluesky' });
  if (loaded.mimeType !== 'video/mp4') throw fail(`Bluesky takes MP4 videos only (this one is ${loaded.mimeType}).`);
  if (loaded.bytes.length > blueskyLimits.videoBytes) {
    throw fail(`The video is too big for Bluesky (${Math.ceil(loaded.bytes.length / 1e6)} MB of 100 MB).`);
  }
  if (durationMs !== undefined && durationMs > blueskyLimits.videoSeconds * 1000) {
    throw fail(
      `The video is too long for Bluesky (${Math.ceil(durationMs / 1000)} s of ${blueskyLimits.videoSeconds} s).`,
    );
  }
}

async function throughVideoService(
  session: AccountSession,
  bytes: Uint8Array,
  serviceUrl: string,
  signal: AbortSignal,
  deps: PlatformDeps,
): Promise<BlobRef> {
  const token = await serviceToken(session);
  const upload = new URL('/xrpc/app.bsky.video.uploadVideo', serviceUrl);
  upload.searchParams.set('did', session.account.did);
  upload.searchParams.set('name', `${crypto.randomUUID()}.mp4`);
  let status = await serviceCall(deps, routes.uploadVideo, upload, signal, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'video/mp4' },
    body: bytes,
  });
  const sleep = deps.sleep ?? defaultSleep;
  const until = Date.now() + videoJobPolling.maxWaitMs;
  for (;;) {
    if (status.blob) return status.blob;
    if (status.state === 'JOB_STATE_FAILED') {
      const why = status.message ?? status.error ?? 'no reason given';
      throw new PlatformError('invalid', `Bluesky's video service could not process the video: ${why}`, {
        platform: 'bluesky',
        route: routes.getJobStatus.route,
      });
    }
    if (Date.now() > until) {
      throw new PlatformError(
        'transient',
        'Bluesky’s video service is still processing the video; trying again later.',
        {
          platform: 'bluesky',
          route: routes.getJobStatus.route,
        },
      );
    }
    await sleep(videoJobPolling.intervalMs, signal);
    const poll = new URL('/xrpc/app.bsky.video.getJobStatus', serviceUrl);
    poll.searchParams.set('jobId', status.jobId);
    status = await serviceCall(deps, routes.getJobStatus, poll, signal, { method: 'GET' });
  }
}

interface JobStatus {
  jobId: string;
  state: string;
  blob?: BlobRef | undefined;
  error?: string | undefined;
  message?: string | undefined;
}

/**
 * A token the video service uses to store the processed video on the account's PDS: audience the
 * PDS's own DID (from `describeServer`, right for a PDS on a port too), bound to `uploadBlob`, 30
 * minutes long as Bluesky's documentation recommends.
 */
async function serviceToken(session: AccountSession): Promise<string> {
  const pds = await session.call(routes.describeServer, (agent) => agent.com.atproto.server.describeServer());
  const exp = Math.floor(Date.now() / 1000) + 30 * 60;
  const { data } = await session.call(routes.getServiceAuth, (agent) =>
    agent.com.atproto.server.getServiceAuth({ aud: pds.data.did, lxm: 'com.atproto.repo.uploadBlob', exp }),
  );
  return data.token;
}

/**
 * One call to the video service, answering its job status. Plain fetch, not the XRPC client: it
 * knows neither uploadVideo's `did`/`name` parameters nor the bare status the service answers,
 * and its errors drop the body, where "already_exists" carries the job (and blob) of the same
 * video sent before. Other errors are mapped as every Bluesky error is.
 */
async function serviceCall(
  deps: PlatformDeps,
  at: Route,
  url: URL,
  signal: AbortSignal,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: Uint8Array },
): Promise<JobStatus> {
  let res: Response;
  let body: unknown;
  try {
    res = await deps.fetch(url, { ...init, signal: deadline([signal], deps.timeoutMs) });
    body = await res.json().catch(() => null);
  } catch (e) {
    const aborted = e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
    // Status 1 is @atproto/xrpc's own code for "could not be reached": transient.
    rethrow(aborted ? e : new XRPCError(1, 'Unknown', 'network error', undefined, { cause: e }), at);
  }
  const status = jobStatusIn(body);
  const { error, message } = (body ?? {}) as { error?: string; message?: string };
  if (status && (res.ok || error === 'already_exists')) return status;
  rethrow(new XRPCError(res.status, error, message, Object.fromEntries(res.headers)), at);
}

/** A job status from an answer: the service answers the status itself, the lexicon `{ jobStatus }`. */
function jobStatusIn(body: unknown): JobStatus | null {
  if (!body || typeof body !== 'object') return null;
  const inner = (body as { jobStatus?: unknown }).jobStatus ?? body;
  const status = inner as Partial<JobStatus>;
  return typeof status.jobId === 'string' ? ({ state: '', ...status } as JobStatus) : null;
}
