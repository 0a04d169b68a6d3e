import { randomBytes } from 'node:crypto';
import type { Account } from '../../../src/core/post.js';
import type { LoadedMedia, MediaLoader, PublishInput, ReplyTarget } from '../../../src/platforms/platform.js';
import type { ResolvedContent } from '../../../src/core/content.js';

/** Plain XRPC calls to the test PDS, to set up accounts and read back what the adapter wrote. */
export class PdsClient {
  constructor(readonly url: string) {}

  /** Creates `<prefix><random>.test` with a password; returns its handle, DID and password. */
  async createAccount(prefix: string): Promise<{ handle: string; did: string; password: string }> {
    const handle = `${prefix}${randomBytes(4).toString('hex')}.test`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const res = await this.xrpc('com.atproto.server.createAccount', {
      method: 'POST',
      body: { handle, email: `${handle}@example.com`, password },
    });
    return { handle, did: res.did as string, password };
  }

  getRecord(did: string, rkey: string): Promise<Record<string, unknown>> {
    return this.xrpc(`com.atproto.repo.getRecord?repo=${did}&collection=app.bsky.feed.post&rkey=${rkey}`);
  }

  /** A blob's bytes as the PDS stores them. */
  async getBlob(did: string, cid: string): Promise<Buffer> {
    const res = await fetch(`${this.url}/xrpc/com.atproto.sync.getBlob?did=${did}&cid=${cid}`);
    if (!res.ok) throw new Error(`getBlob: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  async listPosts(did: string): Promise<{ uri: string }[]> {
    const res = await this.xrpc(`com.atproto.repo.listRecords?repo=${did}&collection=app.bsky.feed.post&limit=100`);
    return res.records as { uri: string }[];
  }

  private async xrpc(
    path: string,
    opts: { method?: string; body?: unknown } = {},
  ): Promise<Record<string, unknown> & { value?: unknown }> {
    const res = await fetch(`${this.url}/xrpc/${path}`, {
      method: opts.method ?? 'GET',
      ...(opts.body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(opts.body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
}

/**
 * Stored credentials of one test account, as the accounts layer would keep them: every
 * `saveCredentials` replaces them, and is recorded.
 */
export class StoredAccount {
  saves: Record<string, unknown>[] = [];

  constructor(
    public credentials: Record<string, unknown>,
    private readonly media: Map<string, LoadedMedia> = new Map(),
  ) {}

  /** Serves `bytes` to the adapter's loadMedia for `url`. */
  serve(url: string, media: LoadedMedia): void {
    this.media.set(url, media);
  }

  input(
    deliveryId: string,
    content: Partial<ResolvedContent>,
    part: { key?: string; replyTo?: ReplyTarget } = {},
  ): PublishInput {
    const loadMedia: MediaLoader = async (item) => {
      const found = this.media.get(item.url);
      if (!found) throw new Error(`no test media at ${item.url}`);
      return found;
    };
    return {
      deliveryId,
      key: part.key ?? deliveryId,
      replyTo: part.replyTo,
      content: {
        text: content.text ?? '',
        media: content.media ?? [],
        ...(content.linkPreview === false ? { linkPreview: false } : {}),
      },
      account: testAccount,
      credentials: this.credentials,
      saveCredentials: async (credentials) => {
        this.credentials = credentials;
        this.saves.push(credentials);
      },
      saveCheckpoint: async () => {},
      loadMedia,
      signal: AbortSignal.timeout(20_000),
    };
  }
}

// The adapter reads the account from the credentials; this record only satisfies the type.
const testAccount: Account = {
  id: 'acct_test',
  workspaceId: 'ws_test',
  platform: 'bluesky',
  handle: 'unused.test',
  remoteId: 'did:plc:unused',
  credentials: '',
  health: 'active',
  createdAt: 0,
  updatedAt: 0,
};

/** A fetch that records the XRPC method of every call it passes on. */
export function countingFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const counted: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push(new URL(url).pathname.replace('/xrpc/', ''));
    return fetch(input, init);
  };
  return { fetch: counted, calls };
}
