import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LocalServer } from './local-server.js';

/** One upload as the fake saw it. */
export interface VideoUpload {
  did: string;
  name: string;
  contentType: string;
  bytes: number;
  /** The service-auth token's claims (`iss`, `aud`, `lxm`, `exp`), decoded, not verified. */
  claims: Record<string, unknown>;
}

interface Job {
  jobId: string;
  did: string;
  /** Polls left before the job is done. */
  pollsLeft: number;
  state: string;
  blob?: unknown;
  error?: string;
  message?: string;
  /** The upload to the PDS, started when the video arrives, as the real service processes it. */
  stored: Promise<void>;
}

/**
 * Bluesky's video service (`video.bsky.app`) as its lexicons and documentation describe it:
 * `POST /xrpc/app.bsky.video.uploadVideo?did=…&name=…` with a service-auth Bearer token (audience
 * the account's PDS, bound to `com.atproto.repo.uploadBlob`) and a `video/mp4` body answers a job
 * status; `GET /xrpc/app.bsky.video.getJobStatus?jobId=…` answers `{ jobStatus }`, with the blob
 * once the job is complete. Like the real one it stores the video on the account's PDS itself,
 * with that token (`uploadBlob`), so the blob it hands back is a real blob of the PDS given.
 * It does not transcode, and it checks the token's claims but not its signature (the PDS does,
 * when the token is used).
 */
export class FakeBlueskyVideoService {
  readonly #server = new LocalServer<never>();
  readonly #jobs = new Map<string, Job>();
  /** Every upload, in order. */
  readonly uploads: VideoUpload[] = [];
  /** Polls of `getJobStatus`. */
  polls = 0;
  /** Polls each job takes before it completes (processing). */
  processingPolls = 2;
  /** When set, the next job fails with this message instead of completing. */
  failNext: string | undefined;

  /** @param pdsUrl where the accounts' PDS is (the real service finds it from the DID document). */
  constructor(private readonly pdsUrl: string) {}

  get url(): string {
    return this.#server.origin;
  }

  start(): Promise<string> {
    return this.#server.start(
      (req, res) => this.#handle(req, res),
      (res, e) => send(res, 500, { error: 'InternalServerError', message: String(e) }),
    );
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'POST' && url.pathname === '/xrpc/app.bsky.video.uploadVideo')
      return this.#upload(req, res, url);
    if (req.method === 'GET' && url.pathname === '/xrpc/app.bsky.video.getJobStatus') return this.#status(res, url);
    send(res, 501, { error: 'MethodNotImplemented', message: `${req.method} ${url.pathname}` });
  }

  async #upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const did = url.searchParams.get('did');
    const name = url.searchParams.get('name');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const body = await readBody(req);
    if (!token) return send(res, 401, { error: 'AuthMissing', message: 'Authentication Required' });
    const claims = decodeClaims(token);
    if (!claims) return send(res, 401, { error: 'BadJwt', message: 'not a JWT' });
    if (!did || !name) return send(res, 400, { error: 'InvalidRequest', message: 'did and name are required' });
    if (claims.iss !== did || claims.lxm !== 'com.atproto.repo.uploadBlob') {
      return send(res, 401, { error: 'BadJwt', message: 'token not issued by this did for uploadBlob' });
    }
    if (claims.aud !== (await this.#pdsDid())) {
      return send(res, 401, { error: 'BadJwt', message: 'token audience is not the account PDS' });
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
      return send(res, 401, { error: 'JwtExpired', message: 'token expired' });
    }
    const contentType = req.headers['content-type'] ?? '';
    if (contentType !== 'video/mp4' || body.length === 0) {
      return send(res, 400, { error: 'InvalidRequest', message: 'a video/mp4 body is required' });
    }
    this.uploads.push({ did, name, contentType, bytes: body.length, claims });
    const job: Job = {
      jobId: randomUUID(),
      did,
      pollsLeft: this.processingPolls,
      state: 'JOB_STATE_CREATED',
      stored: Promise.resolve(),
    };
    const failure = this.failNext;
    this.failNext = undefined;
    job.stored = failure
      ? Promise.resolve().then(() => {
          Object.assign(job, { state: 'JOB_STATE_FAILED', error: 'Video processing failed', message: failure });
        })
      : this.#storeOnPds(job, token, body).catch((e) => {
          Object.assign(job, { state: 'JOB_STATE_FAILED', error: 'Upload to PDS failed', message: String(e) });
        });
    this.#jobs.set(job.jobId, job);
    // The real service answers the job status itself (not wrapped in `jobStatus`).
    send(res, 200, view(job));
  }

  async #status(res: ServerResponse, url: URL): Promise<void> {
    this.polls++;
    const job = this.#jobs.get(url.searchParams.get('jobId') ?? '');
    if (!job) return send(res, 404, { error: 'NotFound', message: 'no such job' });
    if (job.state !== 'JOB_STATE_FAILED') {
      if (job.pollsLeft > 0) {
        job.pollsLeft--;
        job.state = 'JOB_STATE_ENCODING';
      } else {
        await job.stored;
      }
    }
    send(res, 200, { jobStatus: view(job) });
  }

  /** The PDS's own DID, the audience its service tokens must name. */
  async #pdsDid(): Promise<string> {
    const res = await fetch(`${this.pdsUrl}/xrpc/com.atproto.server.describeServer`);
    return ((await res.json()) as { did: string }).did;
  }

  /** Stores the video on the account's PDS with the user's service token, as the real service does after processing. */
  async #storeOnPds(job: Job, token: string, body: Buffer): Promise<void> {
    const res = await fetch(`${this.pdsUrl}/xrpc/com.atproto.repo.uploadBlob`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'video/mp4' },
      body,
    });
    const answer = (await res.json()) as { blob?: unknown; error?: string; message?: string };
    if (res.ok && answer.blob) Object.assign(job, { state: 'JOB_STATE_COMPLETED', blob: answer.blob });
    else Object.assign(job, { state: 'JOB_STATE_FAILED', error: answer.error, message: answer.message });
  }
}

function view(job: Job): Record<string, unknown> {
  const { jobId, did, state, blob, error, message } = job;
  return { jobId, did, state, ...(blob ? { blob } : {}), ...(error ? { error } : {}), ...(message ? { message } : {}) };
}

function decodeClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
