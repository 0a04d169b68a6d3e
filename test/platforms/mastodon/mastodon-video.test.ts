import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformError } from '../../../src/core/errors.js';
import { failure, MastodonTestbed, mp4 } from './mastodon-testbed.js';

describe('Mastodon video and attachment types, against FakeMastodonServer', () => {
  const t = new MastodonTestbed();
  beforeEach(() => t.start());
  afterEach(() => t.server.stop());

  it('uploads a video with its alt text, waits while it is processed (202, then 206 twice) and posts it', async () => {
    const result = await t.mastodon.publish(
      t.input({ text: 'a clip', media: [{ url: 'https://m/clip.mp4', alt: 'A cat jumps' }] }),
    );
    const [status] = t.server.statuses;
    expect(result).toEqual({ remoteId: status?.id, url: status?.url });
    expect(t.server.media.get(status?.media_ids[0] ?? '')).toMatchObject({
      type: 'video/mp4',
      description: 'A cat jumps',
      pollsLeft: 0,
    });
    expect(t.sleeps).toBe(3);
    expect(t.server.requests.filter((r) => r.startsWith('GET /api/v1/media/'))).toHaveLength(3);
  });

  it.each([
    ['clip.webm', 'video/webm'],
    ['clip.mov', 'video/quicktime'],
  ])('takes %s as %s', async (name, type) => {
    t.load = () => ({ bytes: mp4.bytes, mimeType: type });
    const ctx = t.ctx();
    expect(await t.mastodon.validate({ text: 'v', media: [{ url: `https://m/${name}` }] }, ctx)).toEqual([]);
    await t.mastodon.publish(t.input({ text: 'v', media: [{ url: `https://m/${name}` }] }));
    expect(t.server.media.get(t.server.statuses[0]?.media_ids[0] ?? '')?.type).toBe(type);
  });

  it('refuses at the door a type Mastodon cannot take, naming media[i], before any upload', async () => {
    const issues = await t.mastodon.validate(
      {
        text: 'x',
        media: [
          { url: 'https://m/a.png' },
          { url: 'https://m/song.mp3', mimeType: 'audio/mpeg' },
          { url: 'https://m/doc', mimeType: 'application/pdf' },
        ],
      },
      t.ctx(),
    );
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      [
        'media[1]',
        'Mastodon cannot take audio/mpeg here; attach an image (JPEG, PNG, GIF, WebP) or a video (MP4, WebM, MOV).',
      ],
      [
        'media[2]',
        'Mastodon cannot take application/pdf here; attach an image (JPEG, PNG, GIF, WebP) or a video (MP4, WebM, MOV).',
      ],
    ]);
    expect(t.server.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
  });

  it('refuses a video next to other attachments at the door, as Mastodon would refuse the status', async () => {
    const content = { text: 'x', media: [{ url: 'https://m/a.png' }, { url: 'https://m/b.mp4' }] };
    const issues = await t.mastodon.validate(content, t.ctx());
    expect(issues).toEqual([
      {
        field: 'media[1]',
        code: 'invalid_request',
        message: 'Mastodon takes a video only on its own, and this post has 2 attachments: post the video separately.',
      },
    ]);
    // And the fake refuses it as Mastodon does, should it get past the door.
    const err = (await failure(t.mastodon.publish(t.input(content)))) as PlatformError;
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('Cannot attach a video to a post that already contains images');
    expect(t.server.statuses).toHaveLength(0);
  });

  it('refuses a video over the instance video_size_limit before uploading it, naming media[i]', async () => {
    await t.restart({ videoSizeLimit: 1_000_000 });
    t.load = () => ({ bytes: new Uint8Array(2_000_000), mimeType: 'video/mp4' });
    const err = (await failure(
      t.mastodon.publish(t.input({ text: 'big', media: [{ url: 'https://m/big.mp4' }] })),
    )) as PlatformError;
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe('media[0]: this video is 2.0 MB; the Mastodon instance takes videos up to 1.0 MB.');
    expect(t.server.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
  });

  it('a post with linkPreview: false is published as usual (Mastodon makes its own cards)', async () => {
    await t.mastodon.publish(t.input({ text: 'see https://example.com/post', linkPreview: false }));
    expect(t.server.statuses[0]?.text).toBe('see https://example.com/post');
  });
});
