import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformError } from '../core/errors.js';
import { sniffMediaType } from './sniff.js';
import { createUrlMediaLoader } from './url-loader.js';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF');
const png = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', new Array(40).fill(7));
const gif87 = bytes('GIF87a', [1, 0, 1, 0]);
const gif89 = bytes('GIF89a', [1, 0, 1, 0]);
const webp = bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ');
const mp4 = bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]);

describe('sniffMediaType', () => {
  it.each([
    ['JPEG', jpeg, 'image/jpeg'],
    ['PNG', png, 'image/png'],
    ['GIF87a', gif87, 'image/gif'],
    ['GIF89a', gif89, 'image/gif'],
    ['WebP', webp, 'image/webp'],
    ['MP4', mp4, 'video/mp4'],
  ])('knows %s by its first bytes', (_, file, type) => {
    expect(sniffMediaType(file)).toBe(type);
  });

  it.each([
    ['an HTML page named .png', bytes('<!doctype html><title>cat.png</title>')],
    ['PNG without its 0x89 byte', bytes('PNG\r\n\x1a\n', new Array(8).fill(0))],
    ['a PNG signature cut short', bytes([0x89], 'PNG\r\n')],
    ['a RIFF file that is not WebP (WAV)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['a GIF-like header of another version', bytes('GIF90a', [1, 0])],
    ['two JPEG bytes', bytes([0xff, 0xd8])],
    ['nothing', new Uint8Array()],
  ])('refuses %s', (_, file) => {
    expect(sniffMediaType(file)).toBeNull();
  });

  it('does not call a HEIC photo an MP4 video', () => {
    expect(sniffMediaType(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'))).not.toBe('video/mp4');
  });
});

describe('createUrlMediaLoader against a local server', () => {
  let server: Server;
  let base: string;
  const maxBytes = 1024;

  const send = (res: ServerResponse, status: number, type: string, body: Uint8Array | string) =>
    res.writeHead(status, { 'content-type': type }).end(body);

  beforeAll(async () => {
    server = createServer((req, res) => {
      switch (req.url) {
        case '/cat.png':
          return send(res, 200, 'image/png', png);
        case '/exact.png': {
          const exact = new Uint8Array(maxBytes);
          exact.set(png);
          return send(res, 200, 'image/png', exact);
        }
        case '/clip.mp4':
          return send(res, 200, 'application/octet-stream', mp4);
        case '/missing.png':
          return send(res, 404, 'text/plain', 'not found');
        case '/forbidden.png':
          return send(res, 403, 'text/plain', 'no');
        case '/down.png':
          return send(res, 503, 'text/plain', 'try later');
        case '/busy.png':
          return send(res, 429, 'text/plain', 'slow down');
        case '/note.txt':
          return send(res, 200, 'text/plain', 'just some words');
        case '/fake.png':
          return send(res, 200, 'image/png', '<!doctype html><p>not a picture</p>');
        case '/big.png': {
          // A declared length over the cap: refused before the body is read.
          const body = new Uint8Array(maxBytes + 1);
          body.set(png);
          return res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length }).end(body);
        }
        case '/chunked.png': {
          // No content-length: the cap must hold while streaming.
          res.writeHead(200, { 'content-type': 'image/png' });
          res.write(png);
          const chunk = new Uint8Array(400);
          let sent = 0;
          const timer = setInterval(() => {
            if (res.destroyed || sent++ >= 5) {
              clearInterval(timer);
              res.end();
              return;
            }
            res.write(chunk);
          }, 5);
          return;
        }
        case '/stall.png':
          // Headers and the first bytes, then nothing: the body never ends.
          res.writeHead(200, { 'content-type': 'image/png' });
          res.write(png);
          return;
        case '/hang.png':
          return; // no answer at all
        default:
          return send(res, 404, 'text/plain', 'no route');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const load = (path: string, alt?: string, timeoutMs = 2_000) =>
    createUrlMediaLoader({ fetch, maxBytes, timeoutMs })(
      { url: `${base}${path}`, ...(alt ? { alt } : {}) },
      new AbortController().signal,
    );

  async function failure(promise: Promise<unknown>): Promise<PlatformError> {
    const e = await promise.then(
      () => {
        throw new Error('the load succeeded');
      },
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(PlatformError);
    return e as PlatformError;
  }

  it('loads an image with its bytes, sniffed type and alt text', async () => {
    const loaded = await load('/cat.png', 'A cat asleep on a keyboard');
    expect(loaded.mimeType).toBe('image/png');
    expect(Buffer.from(loaded.bytes).equals(Buffer.from(png))).toBe(true);
    expect(loaded.alt).toBe('A cat asleep on a keyboard');
  });

  it('types by the bytes, not the content-type header', async () => {
    expect((await load('/clip.mp4')).mimeType).toBe('video/mp4');
  });

  it('accepts a file of exactly maxBytes', async () => {
    expect((await load('/exact.png')).bytes).toHaveLength(maxBytes);
  });

  it.each([
    ['/missing.png', 404],
    ['/forbidden.png', 403],
  ])('calls a %s answer (%i) invalid: it can never pass', async (path, status) => {
    const e = await failure(load(path));
    expect(e.kind).toBe('invalid');
    expect(e.retryable).toBe(false);
    expect(e.httpStatus).toBe(status);
    expect(e.message).toBe(`The attachment at ${new URL(base).host} answered ${status}.`);
  });

  it.each([
    ['/down.png', 503],
    ['/busy.png', 429],
  ])('calls a %s answer (%i) transient', async (path, status) => {
    const e = await failure(load(path));
    expect(e.kind).toBe('transient');
    expect(e.retryable).toBe(true);
    expect(e.httpStatus).toBe(status);
  });

  it.each(['/note.txt', '/fake.png'])('refuses %s as not an image or video', async (path) => {
    const e = await failure(load(path));
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe('The attachment is not a JPEG, PNG, GIF, WebP image or MP4 video.');
  });

  it('refuses a declared content-length over maxBytes', async () => {
    const e = await failure(load('/big.png'));
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe(`The attachment is larger than ${maxBytes} bytes.`);
  });

  it('refuses a chunked body that grows past maxBytes', async () => {
    const e = await failure(load('/chunked.png'));
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe(`The attachment is larger than ${maxBytes} bytes.`);
  });

  it('calls a server that does not answer in time transient', async () => {
    const e = await failure(load('/hang.png', undefined, 200));
    expect(e.kind).toBe('transient');
  });

  it('calls a refused connection transient', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const loader = createUrlMediaLoader({ fetch, maxBytes, timeoutMs: 2_000 });
    const e = await failure(loader({ url: `http://127.0.0.1:${port}/cat.png` }, new AbortController().signal));
    expect(e.kind).toBe('transient');
  });

  it('calls a body that stalls past the timeout transient', async () => {
    const e = await failure(load('/stall.png', undefined, 300));
    expect(e.kind).toBe('transient');
  });
});
