import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoJpeg } from '../../test/fakes/images.js';
import { FakeMediaServer } from '../../test/fakes/media-server.js';
import { fetchLinkPreview } from './link-preview.js';
import { readPageMeta } from './page-meta.js';

const html = (head: string) => Buffer.from(`<!doctype html><html><head>${head}</head><body><p>Hi</p></body></html>`);

describe('fetchLinkPreview against a local web server', () => {
  const web = new FakeMediaServer();
  let hanging: Server;
  let hangingUrl: string;
  let photo: Buffer;

  beforeAll(async () => {
    await web.start();
    photo = await photoJpeg(3000, 2000);
    hanging = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/slow`;
  });
  afterAll(async () => {
    await web.stop();
    hanging.closeAllConnections();
    hanging.close();
  });
  const allow = () => ({ allowHosts: [web.host, new URL(hangingUrl).host] });

  it('reads Open Graph title, description and image, and fits the image under the limit', async () => {
    expect(photo.length).toBeGreaterThan(1_000_000);
    web.file('/img/cover.jpg', photo, 'image/jpeg');
    const url = web.file(
      '/blog/release',
      html(
        '<title>Ignored</title><meta property="og:title" content="Release 2.0 &amp; more">' +
          '<meta property="og:description" content="What&#39;s new:\n  faster.">' +
          '<meta property="og:image" content="/img/cover.jpg">',
      ),
      'text/html; charset=utf-8',
    );
    const card = await fetchLinkPreview(url, { ...allow(), image: { maxBytes: 1_000_000, maxDimension: 2000 } });
    expect(card).toMatchObject({
      url,
      title: 'Release 2.0 & more',
      description: "What's new: faster.",
      imageUrl: `${web.origin}/img/cover.jpg`,
      image: { mimeType: 'image/jpeg' },
    });
    expect(card?.image?.bytes.length).toBeLessThanOrEqual(1_000_000);
    const { width, height } = await sharp(card?.image?.bytes).metadata();
    expect(Math.max(width, height)).toBeLessThanOrEqual(2000);
  });

  it('falls back to Twitter tags, then <title> and the meta description', async () => {
    const twitter = web.file(
      '/t',
      html('<meta name="twitter:title" content="Tw"><meta name=description content=\'Plain desc\'>'),
      'text/html',
    );
    expect(await fetchLinkPreview(twitter, allow())).toEqual({ url: twitter, title: 'Tw', description: 'Plain desc' });
    const plain = web.file('/p', html('<title>\n Just a title </title>'), 'text/html');
    expect(await fetchLinkPreview(plain, allow())).toEqual({ url: plain, title: 'Just a title', description: '' });
  });

  it('gives the card without its image when og:image is not an image', async () => {
    web.file('/not-image.jpg', Buffer.from('<html>surprise</html>'), 'image/jpeg');
    const url = web.file(
      '/fake-image',
      html('<meta property="og:title" content="T"><meta property="og:image" content="/not-image.jpg">'),
      'text/html',
    );
    const card = await fetchLinkPreview(url, { ...allow(), image: { maxBytes: 1_000_000 } });
    expect(card).toEqual({ url, title: 'T', description: '', imageUrl: `${web.origin}/not-image.jpg` });
  });

  it('gives no card for a page that is not HTML, huge, missing, titleless, slow or private', async () => {
    const json = web.file('/api', Buffer.from('{"title":"x"}'), 'application/json');
    const huge = web.file('/huge', Buffer.alloc(3_000_000, 0x20), 'text/html');
    const titleless = web.file('/empty', html('<meta charset="utf-8">'), 'text/html');
    expect(await fetchLinkPreview(json, allow())).toBeNull();
    expect(await fetchLinkPreview(huge, allow())).toBeNull();
    expect(await fetchLinkPreview(`${web.origin}/missing`, allow())).toBeNull();
    expect(await fetchLinkPreview(titleless, allow())).toBeNull();
    const started = Date.now();
    expect(await fetchLinkPreview(hangingUrl, { ...allow(), timeoutMs: 300 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
    // Loopback without being allowed: refused before connecting.
    const before = web.requests.length;
    expect(await fetchLinkPreview(web.file('/ok', html('<title>ok</title>'), 'text/html'))).toBeNull();
    expect(web.requests.length).toBe(before);
  });

  it('throws when the caller aborts, so a stopping worker stops', async () => {
    const controller = new AbortController();
    const pending = fetchLinkPreview(hangingUrl, { ...allow(), signal: controller.signal });
    controller.abort(new Error('stopping'));
    await expect(pending).rejects.toThrow('stopping');
  });
});

describe('readPageMeta', () => {
  it('reads only the head, and keeps the first of each tag', () => {
    const page =
      '<head><meta content="First" property="og:title"><meta property="og:title" content="Second"></head>' +
      '<body><meta property="og:description" content="in the body"></body>';
    expect(readPageMeta(page, 'https://a.example/')).toEqual({ title: 'First' });
  });

  it('makes the image absolute and keeps only http(s) images', () => {
    const meta = (image: string) =>
      readPageMeta(`<title>t</title><meta property="og:image" content="${image}">`, 'https://a.example/blog/post');
    expect(meta('../img/a.png').image).toBe('https://a.example/img/a.png');
    expect(meta('javascript:alert(1)').image).toBeUndefined();
  });

  it('cuts a very long title with an ellipsis', () => {
    const { title } = readPageMeta(`<title>${'word '.repeat(200)}</title>`, 'https://a.example/');
    expect([...(title ?? '')]).toHaveLength(300);
    expect(title?.endsWith('…')).toBe(true);
  });
});
