import type { LookupFunction } from 'node:net';
import * as http from 'node:http';
import * as https from 'node:https';
import { guardedConnection } from '../../net/safe-fetch.js';

export interface PostCallbackOptions {
  timeoutMs: number;
  /** Private hosts callbacks may reach (`HAYON_FETCH_ALLOW_HOSTS`). */
  allowHosts?: readonly string[];
  /** DNS lookup as node's `dns.lookup`; tests replace it. */
  lookup?: typeof import('node:dns').lookup;
}

/** How a callback POST ended: the receiver's status, or why no answer came. */
export type CallbackAnswer =
  | { kind: 'answered'; status: number }
  | { kind: 'refused'; reason: 'bad_url' | 'private_address'; message: string }
  | { kind: 'unreachable'; message: string };

/**
 * POSTs one callback body, safe against SSRF like attachment downloads: the address is checked
 * as the socket connects, and redirects are not followed (a 3xx is an answer that is not a
 * success). The receiver's body is read up to 64 KiB and dropped. Messages name the host only:
 * a callback URL's path or query may hold the receiver's own token.
 */
export async function postCallback(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostCallbackOptions,
): Promise<CallbackAnswer> {
  let target: { url: URL; lookup: LookupFunction };
  try {
    target = guardedConnection(url, options, 'callback URL');
  } catch (e) {
    const reason = (e as { reason?: string }).reason === 'private_address' ? 'private_address' : 'bad_url';
    return { kind: 'refused', reason, message: (e as Error).message };
  }
  const host = target.url.host;
  return new Promise<CallbackAnswer>((resolve) => {
    const request = target.url.protocol === 'https:' ? https.request : http.request;
    const req = request(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      lookup: target.lookup,
      agent: false,
      timeout: options.timeoutMs,
    });
    const timer = setTimeout(() => req.destroy(new Error('timeout')), options.timeoutMs);
    const done = (answer: CallbackAnswer) => {
      clearTimeout(timer);
      resolve(answer);
    };
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => {
      const code = (err as { reason?: string }).reason;
      if (code === 'private_address') {
        done({
          kind: 'refused',
          reason: 'private_address',
          message: `The callback URL for ${host} resolves to a private network address.`,
        });
      } else if (err.message === 'timeout') {
        done({ kind: 'unreachable', message: `${host} did not answer within ${options.timeoutMs} ms.` });
      } else {
        done({ kind: 'unreachable', message: `Could not reach ${host}.` });
      }
    });
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > 64 * 1024) res.destroy();
      });
      const finish = () => done({ kind: 'answered', status: res.statusCode ?? 0 });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    req.end(body);
  });
}
