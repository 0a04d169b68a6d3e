import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
