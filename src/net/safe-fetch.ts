import * as dns from 'node:dns';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './private-address.js';

/** Why a download was refused or failed; callers decide retries from this, never from the message. */
export type DownloadRefusal =
  | 'bad_url' // not http(s), has credentials in it, unparsable
  | 'private_address' // resolves to / is a loopback, private, link-local, metadata, CGNAT, multicast, unspecified address
  | 'too_many_redirects'
  | 'too_large' // Content-Length or streamed bytes over maxBytes
  | 'timeout' // whole download exceeded timeoutMs
  | 'status' // non-2xx final answer (status in .status)
  | 'network'; // DNS failure, connection refused/reset, broken body

/** A refused or failed download. The message names the host, never the path, query or headers. */
export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    readonly reason: DownloadRefusal,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Hosts (`name`, `name:port`, or an IP literal, `[::1]:8080` for IPv6) that may be private: a CMS on the LAN, test servers. Exact match against the URL's host (lowercased). */
  allowHosts?: readonly string[];
  /** Sent with the first request (e.g. `Authorization: Bearer` for Slack files); dropped when a redirect goes to another origin. */
  headers?: Record<string, string>;
  /** DNS lookup, as node's `dns.lookup` (`all: true` form is fine); tests replace it. Default dns.lookup. */
  lookup?: typeof import('node:dns').lookup;
  signal?: AbortSignal;
}

export interface Downloaded {
  bytes: Buffer;
  contentType: string | undefined;
  finalUrl: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'hayon-media-fetch';

/**
 * Downloads an attachment from a URL an untrusted user gave, safe against SSRF: only http(s)
 * GET, every hop's address checked at connect time (so DNS rebinding cannot slip in between
 * check and connect), redirects followed by hand, the body capped at `maxBytes` while it
 * streams, and one deadline for the whole download. A caller's `signal` rejects with its reason.
 *
 * @example
 * const { bytes, contentType } = await downloadUrl(item.url, { maxBytes: 50e6, timeoutMs: 30_000 });
 */
export async function downloadUrl(url: string, options: DownloadOptions): Promise<Downloaded> {
  const maxRedirects = options.maxRedirects ?? 5;
  const allowHosts = new Set(options.allowHosts?.map((h) => h.toLowerCase()));
  // Parsed before the timer starts, so that a bad URL leaves nothing to clean up.
  let current = checkUrl(url);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) onCallerAbort();

  let headers: Record<string, string> = { ...options.headers };
  let hop: Hop | undefined;
  try {
    for (let redirects = 0; ; redirects++) {
      const allowed = allowHosts.has(current.host);
      if (!allowed) refuseLiteral(current);
      hop = await send(
        current,
        headers,
        checkedLookup(current.hostname, options.lookup ?? dns.lookup, allowed, undefined, current.host),
        {
          signal: controller.signal,
        },
      );
      const { res } = hop;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        close(hop);
        if (redirects >= maxRedirects) {
          throw new DownloadError(
            'too_many_redirects',
            `The attachment URL at ${current.host} redirected more than ${maxRedirects} times.`,
          );
        }
        const next = checkUrl(location, current);
        // Like fetch: credentials never follow a hop to another origin, and stay dropped after.
        if (next.origin !== current.origin) headers = {};
        current = next;
        continue;
      }
      if (status < 200 || status > 299) {
        throw new DownloadError(
          'status',
          `The attachment at ${current.host} answered ${status}${statusHint(status)}.`,
          status,
        );
      }
      const declared = Number(res.headers['content-length']);
      if (declared > options.maxBytes) throw tooLarge(current, options.maxBytes);
      const bytes = await readCapped(res, options.maxBytes, current);
      return { bytes, contentType: res.headers['content-type'], finalUrl: current.href };
    }
  } catch (e) {
    if (e instanceof DownloadError) throw e;
    if (timedOut) {
      throw new DownloadError('timeout', `The download from ${current.host} took longer than ${options.timeoutMs} ms.`);
    }
    if (options.signal?.aborted) throw options.signal.reason;
    throw withCause(
      new DownloadError('network', `Could not download the attachment from ${current.host}: ${networkReason(e)}.`),
      e,
    );
  } finally {
    if (hop) close(hop);
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * For a request to a user-given URL that is not a download (a callback POST): the same checks
 * at connect time. Throws a DownloadError (`bad_url`, `private_address`) for what can be told
 * before connecting; the returned `lookup` refuses private addresses as the socket connects.
 */
export function guardedConnection(
  url: string,
  options: Pick<DownloadOptions, 'allowHosts' | 'lookup'> = {},
  /** What the URL is, for messages: `callback URL`. */
  what = 'URL',
): { url: URL; lookup: LookupFunction } {
  const parsed = checkUrl(url, undefined, what);
  const allowed = new Set(options.allowHosts?.map((h) => h.toLowerCase())).has(parsed.host);
  if (!allowed) refuseLiteral(parsed, what);
  return {
    url: parsed,
    lookup: checkedLookup(parsed.hostname, options.lookup ?? dns.lookup, allowed, what, parsed.host),
  };
}

/** Parses and checks one hop's URL: http(s) only, no user name or password. */
function checkUrl(input: string, base?: URL, what = 'attachment URL'): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw new DownloadError('bad_url', `The ${what} is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DownloadError('bad_url', `The ${what} must start with http:// or https://.`);
  }
  if (url.username || url.password) {
    throw new DownloadError('bad_url', `The ${what} for ${url.host} must not contain a user name or password.`);
  }
  return url;
}

/** Node skips `lookup` for IP-literal hosts, so those are checked here, before connecting. */
function refuseLiteral(url: URL, what = 'attachment URL'): void {
  const ip = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(ip) && !isPublicAddress(ip)) throw privateAddress(url.hostname, ip, what, url.host);
}

/**
 * A `lookup` for the connection itself: the socket connects to the addresses checked here,
 * so a name cannot resolve to a public address for the check and a private one for the connect.
 */
function checkedLookup(
  host: string,
  lookup: typeof dns.lookup,
  allowed: boolean,
  what = 'attachment URL',
  /** The URL's `host` (with its port), as HAYON_FETCH_ALLOW_HOSTS would name it. */
  allowName = host,
): LookupFunction {
  return (hostname, opts, callback) => {
    lookup(hostname, { family: opts.family ?? 0, hints: opts.hints ?? 0, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const refused = allowed ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (refused) return callback(privateAddress(host, refused.address, what, allowName), '');
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${host}.`), { code: 'ENOTFOUND' }), '');
      if (opts.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

interface Hop {
  req: ClientRequest;
  res: IncomingMessage;
}

function send(url: URL, userHeaders: Record<string, string>, lookup: LookupFunction, opts: { signal: AbortSignal }) {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(userHeaders)) {
    const lower = name.toLowerCase();
    if (lower !== 'user-agent' && lower !== 'accept-encoding' && lower !== 'host') headers[lower] = value;
  }
  headers['user-agent'] = USER_AGENT;
  headers['accept-encoding'] = 'identity';
  return new Promise<Hop>((resolve, reject) => {
    const request = url.protocol === 'https:' ? https.request : http.request;
    // agent: false gives each hop its own socket: a pooled one may have been opened under another
    // call's allowHosts.
    const req = request(url, { method: 'GET', headers, lookup, signal: opts.signal, agent: false });
    // Stays attached: a later socket error must not become an unhandled 'error' event.
    req.on('error', reject);
    req.on('response', (res) => {
      res.on('error', () => {});
      resolve({ req, res });
    });
    req.end();
  });
}

function close({ req, res }: Hop): void {
  res.destroy();
  req.destroy();
}

async function readCapped(res: IncomingMessage, maxBytes: number, url: URL): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Leaving the loop destroys the response and its socket; the chunk over the cap is not kept.
    if (size > maxBytes) throw tooLarge(url, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(url: URL, maxBytes: number): DownloadError {
  return new DownloadError(
    'too_large',
    `The attachment at ${url.host} is larger than ${maxBytes} bytes, the most hayon takes (HAYON_MEDIA_MAX_BYTES).`,
  );
}

function privateAddress(host: string, ip: string, what = 'attachment URL', allowName = host): DownloadError {
  const where = host.replace(/^\[(.*)\]$/, '$1') === ip ? 'points to' : `for ${host} resolves to`;
  return new DownloadError(
    'private_address',
    `The ${what} ${where} a private network address (${ip}), which hayon does not ${what === 'attachment URL' ? 'fetch from' : 'call'}. ` +
      `If that host is yours on purpose (a CMS on your network), whoever runs hayon adds ${allowName} to HAYON_FETCH_ALLOW_HOSTS.`,
  );
}

/** What an answer's status most likely means for someone who gave the URL. */
function statusHint(status: number): string {
  if (status === 401 || status === 403) return ' (it needs a login: give a URL that opens without one)';
  if (status === 404 || status === 410) return ' (nothing is there: check the URL)';
  if (status === 429) return ' (too many requests: try again in a while)';
  if (status >= 500) return ' (that server failed: try again later)';
  return '';
}

/** Why a connection failed, from its system error code, in words. */
function networkReason(e: unknown): string {
  const code = String((e as { code?: unknown }).code ?? (e as { cause?: { code?: unknown } }).cause?.code ?? '');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'the connection was closed before the file arrived';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host cannot be reached';
  if (/CERT|SSL|TLS/.test(code)) return `its TLS certificate is not valid (${code})`;
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) return 'the server did not answer in HTTP';
  return code ? `the connection failed (${code})` : 'the connection failed';
}

function withCause(error: DownloadError, cause: unknown): DownloadError {
  error.cause = cause;
  return error;
}
