import { PlatformError } from '../../core/errors.js';
import type { PublishInput } from '../platform.js';
import { type MastodonClient, site } from './client.js';
import { toPlatformError } from './errors.js';

export interface MediaPolling {
  /** Milliseconds between two checks of an attachment still being processed. */
  pollMs: number;
  /** Checks before giving up (transient: the next attempt uploads and waits again). */
  polls: number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * Uploads the post's attachments (`POST /api/v2/media`, alt text as `description`) and waits
 * until each is processed. Images are usually ready at once (200); video, GIFs and audio answer
 * 202 with `url: null`, and `GET /api/v1/media/:id` answers 206 until they are done.
 */
export async function uploadMedia(
  client: MastodonClient,
  input: PublishInput,
  polling: MediaPolling,
): Promise<string[]> {
  const ids: string[] = [];
  for (const item of input.content.media) {
    const media = await input.loadMedia(item, input.signal);
    const form = new FormData();
    form.append('file', new Blob([media.bytes], { type: media.mimeType }), `media.${extension(media.mimeType)}`);
    const alt = item.alt ?? media.alt;
    if (alt) form.append('description', alt);
    const at = site('POST', '/api/v2/media');
    const answer = await client.request(at, at.route, input.signal, { body: form });
    if (answer.status !== 200 && answer.status !== 202) throw toPlatformError(answer, at);
    const uploaded = answer.body as { id: string; url: string | null };
    if (answer.status === 202 || uploaded.url === null) await waitProcessed(client, uploaded.id, input.signal, polling);
    ids.push(uploaded.id);
  }
  return ids;
}

async function waitProcessed(client: MastodonClient, id: string, signal: AbortSignal, polling: MediaPolling) {
  const at = site('GET', '/api/v1/media/:id');
  for (let i = 0; i < polling.polls; i++) {
    await polling.sleep(polling.pollMs, signal);
    const answer = await client.request(at, `/api/v1/media/${encodeURIComponent(id)}`, signal);
    if (answer.status === 200 && (answer.body as { url?: string | null } | null)?.url) return;
    if (answer.status !== 206 && answer.status !== 200) throw toPlatformError(answer, at);
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
