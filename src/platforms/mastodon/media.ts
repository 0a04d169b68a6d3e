import { PlatformError } from '../../core/errors.js';
import type { PublishInput } from '../platform.js';
import { type MastodonApi, site } from './api.js';
import type { InstanceLimits } from './instance.js';
import { isVideo, megabytes } from './media-types.js';

export interface MediaPolling {
  /** Milliseconds between two checks of an attachment still being processed. */
  pollMs: number;
  /** Checks before giving up (transient: the next attempt uploads and waits again). */
  polls: number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * Uploads the post's attachments through masto (`media.v2.create`: `POST /api/v2/media`, alt text
 * as `description`) and waits until each is processed. Images are usually ready at once (200);
 * video, GIFs and audio answer 202 with `url: null`, and `GET /api/v1/media/:id` answers 206
 * until they are done. masto's own wait (a fixed 1 s, a 60 s cap, the worker's signal not
 * followed while it sleeps) is skipped (`skipPolling`) for hayon's: `polling` sets the pace and
 * the cap, and the signal ends it at once.
 *
 * A video over the instance's `video_size_limit` is refused before it is sent, naming `media[i]`.
 */
export async function uploadMedia(
  api: MastodonApi,
  input: PublishInput,
  limits: InstanceLimits,
  polling: MediaPolling,
): Promise<string[]> {
  const ids: string[] = [];
  const at = site('POST', '/api/v2/media');
  for (const [i, item] of input.content.media.entries()) {
    const media = await input.loadMedia(item, input.signal);
    if (isVideo(media.mimeType) && media.bytes.byteLength > limits.videoSizeLimit) {
      throw new PlatformError(
        'invalid',
        `media[${i}]: this video is ${megabytes(media.bytes.byteLength)}; the Mastodon instance takes videos up to ${megabytes(limits.videoSizeLimit)}.`,
        { platform: 'mastodon', method: at.method, route: at.route },
      );
    }
    const file = new File([media.bytes], `media.${extension(media.mimeType)}`, { type: media.mimeType });
    const alt = item.alt ?? media.alt;
    const uploaded = await api.call(at, input.signal, (c) =>
      c.v2.media.create({ file, ...(alt ? { description: alt } : {}), skipPolling: true }),
    );
    if (!uploaded.url) await waitProcessed(api, uploaded.id, input.signal, polling);
    ids.push(uploaded.id);
  }
  return ids;
}

async function waitProcessed(api: MastodonApi, id: string, signal: AbortSignal, polling: MediaPolling) {
  const at = site('GET', '/api/v1/media/:id');
  for (let i = 0; i < polling.polls; i++) {
    await polling.sleep(polling.pollMs, signal);
    const media = await api.call(at, signal, (c) => c.v1.media.$select(encodeURIComponent(id)).fetch());
    if (media.url) return;
  }
  throw new PlatformError('transient', `Mastodon was still processing an attachment after ${polling.polls} checks.`, {
    platform: 'mastodon',
    method: at.method,
    route: at.route,
  });
}

function extension(mimeType: string): string {
  return mimeType.split('/')[1]?.replace('jpeg', 'jpg').replace('quicktime', 'mov') ?? 'bin';
}
