import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCallbackUrl } from '../../net/callback-url.js';
import { postCallback } from './post-callback.js';

describe('postCallback', () => {
  let server: Server;
  let host = '';
  const seen: { path: string; body: string; headers: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', body, headers: req.headers });
        if (req.url === '/redirect') return void res.writeHead(302, { location: '/ok' }).end();
        if (req.url?.startsWith('/slow')) return void setTimeout(() => res.end('late'), 500);
        res.writeHead(req.url === '/gone' ? 410 : 200).end('x'.repeat(100_000));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const options = () => ({ timeoutMs: 2_000, allowHosts: [host] });

  it('POSTs the body as JSON with the given headers and reports the status', async () => {
    const answer = await postCallback(`http://${host}/ok`, '{"a":1}', { 'x-hayon-event-id': 'e1' }, options());
    expect(answer).toEqual({ kind: 'answered', status: 200 });
    expect(seen.at(-1)).toMatchObject({ path: '/ok', body: '{"a":1}' });
    expect(seen.at(-1)?.headers).toMatchObject({ 'content-type': 'application/json', 'x-hayon-event-id': 'e1' });
  });

  it('does not follow a redirect: the 302 is the answer', async () => {
    expect(await postCallback(`http://${host}/redirect`, '{}', {}, options())).toEqual({
      kind: 'answered',
      status: 302,
    });
    expect(seen.at(-1)?.path).toBe('/redirect');
  });

  it('refuses a private address unless its host is allowed, without connecting', async () => {
    const before = seen.length;
    const refused = await postCallback(`http://${host}/ok`, '{}', {}, { timeoutMs: 2_000 });
    expect(refused).toMatchObject({ kind: 'refused', reason: 'private_address' });
    expect(seen.length).toBe(before);
    // A name that resolves to a private address is refused as the socket connects.
    const byName = await postCallback(
      'http://hooks.example/cb',
      '{}',
      {},
      {
        timeoutMs: 2_000,
        lookup: ((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
          cb(null, [{ address: '10.0.0.7', family: 4 }])) as never,
      },
    );
    expect(byName).toMatchObject({ kind: 'refused', reason: 'private_address' });
  });

  it('reports a receiver that does not answer in time, naming only the host', async () => {
    const answer = await postCallback(
      `http://${host}/slow?token=receiver-secret`,
      '{}',
      {},
      {
        timeoutMs: 100,
        allowHosts: [host],
      },
    );
    expect(answer.kind).toBe('unreachable');
    expect(JSON.stringify(answer)).not.toContain('receiver-secret');
  });
});

describe('checkCallbackUrl', () => {
  const lookup = (address: string) =>
    ((_h: string, _o: unknown, cb: (e: Error | null, a: { address: string; family: number }[]) => void) =>
      address ? cb(null, [{ address, family: 4 }]) : cb(new Error('ENOTFOUND'), [])) as never;

  it('accepts a public https URL', async () => {
    await expect(
      checkCallbackUrl('https://cms.example/hook', { lookup: lookup('93.184.215.14') }),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['ftp://cms.example/x', 'https://'],
    ['https://user:pw@cms.example/x', 'user name'],
    ['not a url', 'valid URL'],
    ['http://[::1]:8080/x', 'private'],
    ['http://100.64.0.1/x', 'private'],
  ])('refuses %s', async (url, says) => {
    await expect(checkCallbackUrl(url, { lookup: lookup('93.184.215.14') })).rejects.toMatchObject({
      field: 'callbackUrl',
      message: expect.stringContaining(says),
    });
  });

  it('refuses a name that resolves to a private address, or to nothing', async () => {
    await expect(
      checkCallbackUrl('https://intranet.example/x', { lookup: lookup('192.168.0.3') }),
    ).rejects.toMatchObject({
      field: 'callbackUrl',
    });
    await expect(checkCallbackUrl('https://nowhere.example/x', { lookup: lookup('') })).rejects.toMatchObject({
      message: expect.stringContaining('does not resolve'),
    });
  });

  it('lets an allowed private host through', async () => {
    await expect(checkCallbackUrl('http://cms.lan:2368/x', { allowHosts: ['cms.lan:2368'] })).resolves.toBeUndefined();
  });
});
