import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/lib/load.js';
import { LocalServer } from '../fakes/local-server.js';

/** A real server on 127.0.0.1 answering the n-th request as `answer` says; the JSON bodies it read. */
async function serverAnswering(answer: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const bodies: unknown[] = [];
  let n = 0;
  const server = new LocalServer<never>();
  const origin = await server.start(
    async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      answer(n++, req, res);
    },
    (res) => res.writeHead(500).end(),
  );
  return { server, url: `${origin}/v1/posts`, bodies };
}

describe('bench/lib/load: the closed-loop load generator', () => {
  const servers: LocalServer<never>[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });

  it('sends each body whole, counts answers by status, and times only the measured window', async () => {
    const { server, url, bodies } = await serverAnswering((n, req, res) => {
      // Every fifth request is refused; the rest accepted, as a JSON API would.
      res.writeHead(n % 5 === 4 ? 500 : 202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ length: req.headers['content-length'] }));
    });
    servers.push(server);
    let sent = 0;
    const result = await runLoad({
      url,
      clients: 4,
      durationMs: 300,
      warmupMs: 100,
      expectStatus: 202,
      init: () => ({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `Grüße ${sent++}` }),
      }),
    });
    expect(result.sent).toBe(sent);
    expect(bodies).toHaveLength(sent);
    expect(bodies).toContainEqual({ text: 'Grüße 0' });
    const accepted = result.statuses['202'] ?? 0;
    const refused = result.statuses['500'] ?? 0;
    expect(accepted + refused).toBe(sent);
    expect(refused).toBe(Math.floor(sent / 5));
    expect(result.errors).toBe(refused);
    // The warm-up's requests are sent and counted, but not timed.
    expect(result.requests).toBeGreaterThan(0);
    expect(result.requests).toBeLessThan(sent);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
    expect(result.clientCpuPerRequestMs).toBeGreaterThan(0);
  });

  it('counts a response cut off and a request left unanswered as `network`, and still ends', async () => {
    const { server, url } = await serverAnswering((n, _req, res) => {
      if (n === 0) {
        // Headers and half a body, then the connection is gone.
        res.writeHead(202, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"half":');
        setTimeout(() => res.destroy(), 10);
      } else if (n === 1) {
        // Never answered: the request's own timeout ends it.
      } else {
        res.writeHead(202).end('{}');
      }
    });
    servers.push(server);
    const result = await runLoad({
      url,
      clients: 2,
      durationMs: 400,
      warmupMs: 0,
      expectStatus: 202,
      requestTimeoutMs: 150,
      init: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    });
    expect(result.statuses.network).toBe(2);
    expect(result.errors).toBe(2);
    expect(result.statuses['202']).toBe(result.sent - 2);
  });
});
