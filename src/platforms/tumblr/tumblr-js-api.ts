import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'tumblr.js';
import { deadline } from '../../core/deadline.js';
import { PlatformError } from '../../core/errors.js';
import { type CallSite, platformError } from '../http.js';
import type { PlatformDeps } from '../platform.js';
import { type ListedPost, type NewPost, routes, site, type TumblrApi, type Upload, type UserInfo } from './api.js';
import type { TumblrCredentials, TumblrOAuth1Credentials } from './credentials.js';
import { explainForbidden, toPlatformError } from './errors.js';

type OAuth1 = { auth: 'oauth1' } & TumblrOAuth1Credentials;
type Callback = (err: Error | null, resp: Record<string, unknown> | null, response?: IncomingMessage | null) => void;

/**
 * OAuth 1.0a accounts through tumblr.js 5.0.1, Tumblr's official client: it signs each request
 * (OAuth 1.0a signatures by the `oauth` package), builds URLs from `baseUrl` and always speaks HTTPS
 * (`url.protocol === 'http'` never matches `'http:'`), so tests serve FakeTumblrServer over HTTPS
 * with a test CA (test/setup/test-ca.ts). What it does not do, and how this copes:
 * - No AbortSignal and no timeout: each call is raced against `deadline(signal, deps.timeoutMs)`;
 *   when the deadline wins the call is reported as transient (its outcome unknown, so a create is
 *   reconciled), while tumblr.js's request runs on until the server answers or drops it (tumblr.js
 *   gives no handle to abort it).
 * - Its promises reject with `API error: <status> <meta.msg>` and drop the answer; the deprecated
 *   callback form still hands over the raw response, whose status and headers (`Retry-After`,
 *   `X-Ratelimit-*`) feed the same mapping as OAuth 2 answers (errors.ts). Tumblr's `errors[]`
 *   (subcodes, details) are lost, so a 403 on a create is explained with `/v2/user/limits`.
 * - Media only from `fs.ReadStream`s: uploads are written to a temp directory, named with an
 *   extension that gives their type (form-data types parts by file name), removed after the call.
 *   tumblr.js re-identifies each media block by its index in `content`.
 */
export class TumblrJsApi implements TumblrApi {
  readonly #client: Client;

  constructor(
    private readonly deps: PlatformDeps,
    apiUrl: string,
    private readonly creds: OAuth1,
    private readonly clock: () => number = Date.now,
  ) {
    this.#client = new Client({
      consumer_key: creds.consumerKey,
      consumer_secret: creds.consumerSecret,
      token: creds.token,
      token_secret: creds.tokenSecret,
      baseUrl: apiUrl,
    });
  }

  get credentials(): TumblrCredentials {
    return this.creds;
  }

  userInfo(signal: AbortSignal): Promise<UserInfo> {
    return this.#call(site('GET', routes.userInfo), signal, (cb) => this.#client.userInfo(cb));
  }

  posts(blog: string, page: { limit: number; offset: number }, signal: AbortSignal): Promise<{ posts?: ListedPost[] }> {
    return this.#call(site('GET', routes.posts), signal, (cb) =>
      this.#client.blogPosts(encodeURIComponent(blog), page, cb),
    );
  }

  async createPost(blog: string, post: NewPost, uploads: Upload[], signal: AbortSignal) {
    const at = site('POST', routes.posts);
    const dir = uploads.length > 0 ? await mkdtemp(join(tmpdir(), 'hayon-tumblr-')) : undefined;
    try {
      const files = new Map<string, string>();
      for (const [i, u] of uploads.entries()) {
        const path = join(dir as string, `${i}.${extensionFor(u.mimeType)}`);
        await writeFile(path, u.bytes);
        files.set(u.identifier, path);
      }
      const content = post.content.map((block) => {
        if (block.type !== 'image' && block.type !== 'video') return block;
        const media = Array.isArray(block.media) ? block.media[0] : block.media;
        const path = media ? files.get(media.identifier) : undefined;
        return path ? { ...block, media: createReadStream(path) } : block;
      });
      const params = { ...post, content } as unknown as Parameters<Client['createPost']>[1];
      return await this.#call<{ id?: string | number; id_string?: string }>(at, signal, (cb) =>
        this.#client.createPost(encodeURIComponent(blog), params, cb),
      );
    } catch (e) {
      if (!(e instanceof PlatformError && e.kind === 'auth' && e.httpStatus === 403)) throw e;
      const limits = await this.#call<Parameters<typeof explainForbidden>[1]>(
        site('GET', routes.userLimits),
        signal,
        (cb) => this.#client.getRequest(routes.userLimits, undefined, cb),
      ).catch(() => null);
      const video = uploads.some((u) => u.mimeType.startsWith('video/'));
      throw explainForbidden(at, limits, video, this.clock()) ?? e;
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  deletePost(blog: string, id: string, signal: AbortSignal): Promise<unknown> {
    return this.#call(site('POST', routes.deletePost), signal, (cb) =>
      this.#client.deletePost(encodeURIComponent(blog), id, cb),
    );
  }

  /** Runs one tumblr.js call in its callback form, raced against the deadline. */
  #call<T>(at: CallSite, signal: AbortSignal, start: (cb: Callback) => void): Promise<T> {
    const bound = deadline([signal], this.deps.timeoutMs);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const timedOut = (bound.reason as Error | undefined)?.name === 'TimeoutError';
        reject(
          platformError(
            at,
            'transient',
            `Tumblr ${timedOut ? 'did not answer in time' : 'call was cancelled'} (${at.method} ${at.route}).`,
            { cause: bound.reason },
          ),
        );
      };
      if (bound.aborted) return onAbort();
      bound.addEventListener('abort', onAbort, { once: true });
      const done: Callback = (err, resp, response) => {
        bound.removeEventListener('abort', onAbort);
        if (err) reject(this.#toError(err, response ?? undefined, at));
        else resolve(resp as T);
      };
      try {
        start(done);
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)), null);
      }
    });
  }

  /** tumblr.js's error and the raw response it passes along, as hayon's error kinds. */
  #toError(err: Error, response: IncomingMessage | undefined, at: CallSite): PlatformError {
    const status = response?.statusCode;
    if (!status) {
      // No answer: refused, reset or dropped connection, TLS failure. The create may have landed.
      return platformError(at, 'transient', `Tumblr could not be reached (${at.method} ${at.route}).`, { cause: err });
    }
    if (status >= 200 && status < 300) {
      return platformError(
        at,
        'transient',
        `Tumblr answered ${status} without a readable body (${at.method} ${at.route}).`,
        {
          status,
        },
      );
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    // "API error: 429 Limit Exceeded": Tumblr's meta.msg after the status.
    const msg = /^API error: \d+ (.*)$/s.exec(err.message)?.[1];
    const body = msg && msg !== 'unknown' ? { meta: { status, msg } } : null;
    return toPlatformError({ status, headers, body }, at, this.clock());
  }
}

/** File extensions that form-data (mime-types) reads back as the same type. */
const extensions: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
};

function extensionFor(mimeType: string): string {
  return extensions[mimeType] ?? (mimeType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin');
}
