import { describe, expect, it } from 'vitest';
import type { Post, PostWithDeliveries, ResultThreads } from '../../core/post.js';
import { StoreUnavailableError } from '../../core/store-unavailable.js';
import type { CreatePostResult } from '../../store/ports/post-store.js';
import type { ResultsChannels } from './results-port.js';
import { storeWithResults } from './results-channels.js';

/** Records what a post's results messages went through, in order. */
class RecordingResults implements ResultsChannels {
  readonly calls: string[] = [];
  #next = 1;
  async open(): Promise<ResultThreads> {
    const ts = `ts${this.#next++}`;
    this.calls.push(`open ${ts}`);
    return { slack: { channelId: 'C1', messageTs: ts } };
  }
  async refresh(threads: ResultThreads): Promise<void> {
    this.calls.push(`refresh ${threads.slack?.messageTs}`);
  }
  async withdraw(threads: ResultThreads): Promise<void> {
    this.calls.push(`withdraw ${threads.slack?.messageTs}`);
  }
  async unconfirmed(threads: ResultThreads): Promise<void> {
    this.calls.push(`unconfirmed ${threads.slack?.messageTs}`);
  }
}

function apiPost(): Post {
  return {
    id: 'pst_1',
    workspaceId: 'ws_1',
    author: { kind: 'api' } as Post['author'],
    origin: { kind: 'api' },
    content: { text: 'hello', media: [] } as unknown as Post['content'],
    overrides: {},
    scheduledAt: 1_000,
    timezone: 'UTC',
    idempotencyKey: 'key-1',
    correlationId: 'c1',
    createdAt: 1_000,
  };
}

function setup() {
  const results = new RecordingResults();
  const deps = {
    store: { getWorkspace: async () => ({ settings: { resultChannels: { slack: 'C1' } } }) },
    results,
    platforms: {},
    openCredentials: () => ({}),
  } as unknown as Parameters<typeof storeWithResults>[0];
  return { results, deps };
}

const stored = (post: Post, created: boolean): { result: CreatePostResult } => ({
  result: { created, value: { post, deliveries: [] } as PostWithDeliveries } as CreatePostResult,
});

describe('storeWithResults: a post and its results messages', () => {
  it('a write refused for sure takes the message away again', async () => {
    const { results, deps } = setup();
    const write = async () => {
      throw new StoreUnavailableError('busy', new Error('SQLITE_BUSY'));
    };
    await expect(storeWithResults(deps, apiPost(), [], [], write)).rejects.toThrow(StoreUnavailableError);
    expect(results.calls).toEqual(['open ts1', 'withdraw ts1']);
  });

  it('a write cut off on its way keeps the message, marked; the request sent again brings it back', async () => {
    const { results, deps } = setup();
    // The first request: the database applied the write, and the connection closed before its answer.
    let saved: Post | undefined;
    const cut = async (): Promise<{ result: CreatePostResult }> => {
      throw new StoreUnavailableError('not_answering', new Error('connection closed'), true);
    };
    const first = apiPost();
    await expect(
      storeWithResults(deps, first, [], [], async () => {
        saved = structuredClone(first);
        return cut();
      }),
    ).rejects.toThrow(StoreUnavailableError);
    expect(results.calls).toEqual(['open ts1', 'unconfirmed ts1']);
    expect(saved?.origin).toEqual({ kind: 'api', results: { slack: { channelId: 'C1', messageTs: 'ts1' } } });

    // The same request again: the key finds the saved post, whose message is brought back.
    await storeWithResults(deps, apiPost(), [], [], async () => stored(saved as Post, false));
    expect(results.calls).toEqual(['open ts1', 'unconfirmed ts1', 'open ts2', 'withdraw ts2', 'refresh ts1']);
  });

  it('a new post keeps its message', async () => {
    const { results, deps } = setup();
    const post = apiPost();
    await storeWithResults(deps, post, [], [], async () => stored(post, true));
    expect(results.calls).toEqual(['open ts1']);
  });
});
