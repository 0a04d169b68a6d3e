import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

interface Container {
  id: string;
  params: Record<string, string>;
  /** Statuses still to report before `final`. */
  pending: ContainerStatus[];
  final: ContainerStatus;
  mediaId?: string;
}

export interface FakeMedia {
  id: string;
  text: string;
  mediaType: string;
  children: string[];
  replyTo: string | null;
  altText: string | null;
  permalink: string;
  timestamp: string;
}

export interface GraphErrorAnswer {
  status: number;
  error?: { message: string; type?: string; code: number; error_subcode?: number; is_transient?: boolean };
  headers?: Record<string, string>;
  /** Publish for real, then drop the connection instead of answering. */
  lostAfterPublish?: boolean;
}

/**
 * FakeMetaGraphServer: a local HTTP server following the Threads and Instagram Graph API
 * container flow (graph.threads.net and graph.facebook.com shapes): `POST /{user}/threads|media`
 * creates containers, `GET /{container}?fields=status|status_code` reports scripted statuses,
 * `POST /{user}/threads_publish|media_publish` publishes, `GET /{user}/threads_publishing_limit|
 * content_publishing_limit` reports quota usage, `GET /{user}/threads|media` lists what was
 * published. Errors use Meta's envelope (190 expired token, 4/17 rate limits, 24/4279009 media
 * not found, 500) and are scripted per route.
 */
export class FakeMetaGraphServer {
  readonly published: FakeMedia[] = [];
  readonly containers = new Map<string, Container>();
  readonly requests: string[] = [];
  url = '';
  token = 'fake-meta-token';
  quota = { usage: 0, total: 250, duration: 86_400 };
  /** Statuses new containers report first (then FINISHED). */
  nextStatuses: ContainerStatus[] = [];
  /** The final status of the next container (default FINISHED). */
  nextFinal: ContainerStatus = 'FINISHED';
  readonly #script = new Map<string, GraphErrorAnswer[]>();
  #server: Server | undefined;
  #next = 17_000_000;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((e) => this.#json(res, 500, { error: { message: String(e), code: 1 } }));
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1.0`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  /** The next request whose route (`POST /{user}/threads_publish`) matches gets this answer. */
  failNext(route: string, answer: GraphErrorAnswer): this {
    const list = this.#script.get(route) ?? [];
    list.push(answer);
    this.#script.set(route, list);
    return this;
  }

  #json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const params: Record<string, string> = Object.fromEntries(req.method === 'GET' ? url.searchParams : form);
    const path = url.pathname.replace(/^\/v[\d.]+/, '');
    const route = `${req.method} ${path.replace(/^\/\d+/, '/{id}')}`;
    this.requests.push(route);
    const scripted = this.#script.get(route)?.shift();
    if (scripted && !scripted.lostAfterPublish) {
      return this.#json(
        res,
        scripted.status,
        { error: scripted.error ?? { message: 'scripted', code: 2 } },
        scripted.headers,
      );
    }
    if (params.access_token !== this.token) {
      return this.#json(res, 400, {
        error: {
          message: 'Error validating access token: Session has expired',
          type: 'OAuthException',
          code: 190,
          error_subcode: 463,
        },
      });
    }
    const [, first, second] = path.split('/');
    if (req.method === 'GET' && first === 'me') return this.#json(res, 200, { id: '42', username: 'alice' });
    if (req.method === 'POST' && (second === 'threads' || second === 'media')) {
      const id = String(this.#next++);
      this.containers.set(id, { id, params, pending: [...this.nextStatuses], final: this.nextFinal });
      this.nextFinal = 'FINISHED';
      return this.#json(res, 200, { id });
    }
    if (req.method === 'POST' && (second === 'threads_publish' || second === 'media_publish')) {
      const container = this.containers.get(params.creation_id ?? '');
      if (!container) return this.#json(res, 400, { error: { message: 'Invalid creation_id', code: 100 } });
      if (container.mediaId) return this.#json(res, 400, { error: { message: 'Media already published', code: 100 } });
      if (this.quota.usage >= this.quota.total) {
        return this.#json(res, 400, { error: { message: 'Publishing limit reached', code: 4 } });
      }
      const mediaId = String(this.#next++);
      container.mediaId = mediaId;
      container.final = 'PUBLISHED';
      container.pending = [];
      this.quota.usage++;
      const p = container.params;
      this.published.unshift({
        id: mediaId,
        text: p.text ?? p.caption ?? '',
        mediaType: p.media_type ?? 'IMAGE',
        children: p.children ? p.children.split(',') : [],
        replyTo: p.reply_to_id ?? null,
        altText: p.alt_text ?? null,
        permalink: `https://www.threads.net/@alice/post/${mediaId}`,
        timestamp: new Date().toISOString(),
      });
      if (scripted?.lostAfterPublish) {
        req.socket.destroy();
        return;
      }
      return this.#json(res, 200, { id: mediaId });
    }
    if (req.method === 'GET' && (second === 'threads_publishing_limit' || second === 'content_publishing_limit')) {
      const config = { quota_total: this.quota.total, quota_duration: this.quota.duration };
      return this.#json(res, 200, {
        data: [
          {
            quota_usage: this.quota.usage,
            config,
            reply_quota_usage: 0,
            reply_config: { quota_total: 1000, quota_duration: 86_400 },
          },
        ],
      });
    }
    if (req.method === 'GET' && (second === 'threads' || second === 'media')) {
      const limit = Number(params.limit ?? 25);
      return this.#json(res, 200, {
        data: this.published.slice(0, limit).map((m) => ({
          id: m.id,
          permalink: m.permalink,
          timestamp: m.timestamp,
          text: m.text,
          caption: m.text,
        })),
      });
    }
    if (req.method === 'GET' && first && !second) {
      const container = this.containers.get(first);
      if (container) {
        const status = container.pending.shift() ?? container.final;
        const error = status === 'ERROR' ? { error_message: 'The image could not be downloaded' } : {};
        return this.#json(res, 200, { id: first, status, status_code: status, ...error });
      }
      const media = this.published.find((m) => m.id === first);
      if (media) return this.#json(res, 200, { id: media.id, permalink: media.permalink });
    }
    this.#json(res, 400, { error: { message: `Unsupported request: ${route}`, code: 100 } });
  }
}
