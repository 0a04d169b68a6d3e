import type { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, type DownloadOptions, downloadUrl } from './safe-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function startServer(handler: Handler): Promise<{ server: Server; host: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A `dns.lookup` stand-in that answers every name with the given addresses. */
function fakeLookup(...addresses: string[]): typeof dnsLookup {
  const answer: LookupAddress[] = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const lookup = (_name: string, _opts: unknown, cb: (err: Error | null, all: LookupAddress[]) => void) =>
    process.nextTick(cb, null, answer);
  return lookup as unknown as typeof dnsLookup;
}

async function refusal(url: string, options: Partial<DownloadOptions> = {}): Promise<DownloadError> {
  try {
    await downloadUrl(url, { maxBytes: 1000, timeoutMs: 5000, ...options });
  } catch (e) {
    if (e instanceof DownloadError) return e;
    throw e;
  }
  throw new Error(`expected ${url} to be refused`);
}

let main: { server: Server; host: string };
let other: { server: Server; host: string };
let streamClosed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  other = await startServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`auth=${req.headers.authorization ?? 'none'}`);
  });
  main = await startServer((req, res) => {
    const path = req.url ?? '/';
    const redirect = (location: string) => res.writeHead(302, { location }).end();
    if (path === '/image') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    } else if (path === '/echo') {
      res.setHeader('content-type', 'text/plain');
      res.end(`auth=${req.headers.authorization ?? 'none'} ua=${req.headers['user-agent']}`);
    } else if (path === '/big') {
      res.writeHead(200, { 'content-length': '5000' });
      res.write(Buffer.alloc(100));
    } else if (path === '/stream') {
      streamClosed = new Promise((resolve) => res.on('close', resolve));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write(Buffer.alloc(256)), 2);
      res.on('close', () => clearInterval(timer));
    } else if (path === '/hang') {
      // never answers
    } else if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    } else if (path === '/missing') {
      res.writeHead(404).end('not here');
    } else if (path === '/loop') {
      redirect('/loop');
    } else if (path === '/to-metadata') {
      redirect('http://169.254.169.254/latest/meta-data/');
    } else if (path === '/to-lan') {
      redirect('http://10.0.0.1/');
    } else if (path === '/to-same') {
      redirect('/echo');
    } else if (path === '/to-other') {
      redirect(`http://${other.host}/`);
    } else if (path === '/to-ftp') {
      redirect('ftp://example.com/file');
    } else {
      res.writeHead(500).end();
    }
  });
});

afterAll(async () => {
  await Promise.all([stopServer(main.server), stopServer(other.server)]);
});

const allowed = (): Partial<DownloadOptions> => ({ allowHosts: [main.host, other.host] });

describe('downloadUrl', () => {
  it('downloads bytes and the content type from an allowed host', async () => {
    const got = await downloadUrl(`http://${main.host}/image`, { maxBytes: 1000, timeoutMs: 5000, ...allowed() });
    expect(got.bytes).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(got.contentType).toBe('image/png');
    expect(got.finalUrl).toBe(`http://${main.host}/image`);
  });

  it('connects to the address its lookup returned', async () => {
    const port = main.host.split(':')[1];
    const got = await downloadUrl(`http://media.test:${port}/echo`, {
      maxBytes: 1000,
      timeoutMs: 5000,
      allowHosts: [`MEDIA.test:${port}`],
      lookup: fakeLookup('127.0.0.1'),
    });
    expect(got.bytes.toString()).toBe('auth=none ua=hayon-media-fetch');
  });

  it.each([
    ['loopback', () => `http://${main.host}/image`],
    ['IPv6 loopback', () => `http://[::1]:${main.host.split(':')[1]}/`],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', () => 'http://10.0.0.1/'],
    ['a decimal IPv4 host', () => 'http://2130706433/'],
    ['a hex IPv4 host', () => 'http://0x7f.1/'],
    ['an IPv4-mapped IPv6 host', () => 'http://[::ffff:127.0.0.1]/'],
  ])('refuses %s before connecting', async (_name, url) => {
    const started = Date.now();
    const error = await refusal(url(), { timeoutMs: 10_000 });
    expect(error.reason).toBe('private_address');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('names the address but not the query string', async () => {
    const error = await refusal('http://10.0.0.5/file?token=secret');
    expect(error.message).toBe(
      'The attachment URL points to a private network address (10.0.0.5), which hayon does not fetch from. ' +
        'If that host is yours on purpose (a CMS on your network), whoever runs hayon adds 10.0.0.5 to HAYON_FETCH_ALLOW_HOSTS.',
    );
    const withPort = await refusal('http://10.0.0.5:8080/file');
    expect(withPort.message).toContain('adds 10.0.0.5:8080 to HAYON_FETCH_ALLOW_HOSTS');
  });

  it('refuses a name that resolves to a private address', async () => {
    const error = await refusal('http://cms.example/file?token=secret', { lookup: fakeLookup('10.1.2.3') });
    expect(error.reason).toBe('private_address');
    expect(error.message).toContain('cms.example');
    expect(error.message).toContain('10.1.2.3');
    expect(error.message).not.toContain('secret');
  });

  it('refuses a name when any of its addresses is private', async () => {
    const error = await refusal('http://mixed.example/', { lookup: fakeLookup('93.184.216.34', '192.168.1.10') });
    expect(error.reason).toBe('private_address');
  });

  it.each([
    ['/to-metadata', '169.254.169.254'],
    ['/to-lan', '10.0.0.1'],
  ])('refuses a redirect %s to a private address before connecting', async (path, ip) => {
    const started = Date.now();
    const error = await refusal(`http://${main.host}${path}`, { ...allowed(), timeoutMs: 10_000 });
    expect(error.reason).toBe('private_address');
    expect(error.message).toContain(ip);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each(['ftp://example.com/file', 'file:///etc/passwd', 'http://user:s3cret@example.com/', 'not a url'])(
    'refuses %s as a bad URL',
    async (url) => {
      const error = await refusal(url);
      expect(error.reason).toBe('bad_url');
      expect(error.message).not.toContain('s3cret');
    },
  );

  it('refuses a redirect to another scheme', async () => {
    expect((await refusal(`http://${main.host}/to-ftp`, allowed())).reason).toBe('bad_url');
  });

  it('refuses a body whose Content-Length is over maxBytes', async () => {
    const error = await refusal(`http://${main.host}/big`, { ...allowed(), maxBytes: 1000 });
    expect(error.reason).toBe('too_large');
  });

  it('stops a streamed body at maxBytes and closes the connection', async () => {
    const error = await refusal(`http://${main.host}/stream`, { ...allowed(), maxBytes: 10_000 });
    expect(error.reason).toBe('too_large');
    await streamClosed;
  });

  it.each(['/hang', '/slow'])('times out on %s', async (path) => {
    const started = Date.now();
    const error = await refusal(`http://${main.host}${path}`, { ...allowed(), timeoutMs: 300 });
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects with the reason of an aborted caller signal', async () => {
    const controller = new AbortController();
    const pending = downloadUrl(`http://${main.host}/hang`, {
      maxBytes: 1000,
      timeoutMs: 5000,
      ...allowed(),
      signal: controller.signal,
    });
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('reports a non-2xx answer with its status', async () => {
    const error = await refusal(`http://${main.host}/missing`, allowed());
    expect(error.reason).toBe('status');
    expect(error.status).toBe(404);
    expect(error.message).toBe(`The attachment at ${main.host} answered 404 (nothing is there: check the URL).`);
  });

  it('reports a refused connection as a network error', async () => {
    const { server, host } = await startServer(() => {});
    await stopServer(server);
    const error = await refusal(`http://${host}/`, { allowHosts: [host] });
    expect(error.reason).toBe('network');
    expect(error.message).toBe(`Could not download the attachment from ${host}: the connection was refused.`);
  });

  it('gives up on a redirect loop', async () => {
    const error = await refusal(`http://${main.host}/loop`, { ...allowed(), maxRedirects: 3 });
    expect(error.reason).toBe('too_many_redirects');
  });

  it('keeps headers on a same-origin redirect and drops them on a cross-origin one', async () => {
    const options = { maxBytes: 1000, timeoutMs: 5000, ...allowed(), headers: { Authorization: 'Bearer xoxb-1' } };
    const same = await downloadUrl(`http://${main.host}/to-same`, options);
    expect(same.bytes.toString()).toBe('auth=Bearer xoxb-1 ua=hayon-media-fetch');
    expect(same.finalUrl).toBe(`http://${main.host}/echo`);
    const cross = await downloadUrl(`http://${main.host}/to-other`, options);
    expect(cross.bytes.toString()).toBe('auth=none');
    expect(cross.finalUrl).toBe(`http://${other.host}/`);
  });
});
