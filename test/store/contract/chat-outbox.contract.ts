import { expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/core/chat-message.js';
import type { ChatOutboxStore } from '../../../src/store/ports/chat-outbox-store.js';
import { T0 } from '../store-fixtures.js';

function message(id: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    chat: 'slack',
    thread: 'slack:C1:1.1',
    seq: 0,
    workspaceId: 'ws_1',
    postId: 'post_1',
    request: { op: 'post', channelId: 'C1', body: { text: id, thread_ts: '1.1' } },
    state: 'pending',
    attempts: 0,
    dueAt: T0,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const ids = (messages: ChatMessage[]) => messages.map((m) => m.id);

/** ChatOutboxStore: each message stored once with its thread's next seq, taken in thread order under a lease. */
export function chatOutboxContract(store: () => ChatOutboxStore): void {
  it('addChatMessage numbers a thread 1, 2, … and stores an id once', async () => {
    expect(await store().addChatMessage(message('m1'))).toBe(true);
    expect(await store().addChatMessage(message('m2'))).toBe(true);
    expect(await store().addChatMessage(message('m1', { request: { op: 'post', channelId: 'C9', body: {} } }))).toBe(
      false,
    );
    await store().addChatMessage(message('other', { thread: 'discord:9' }));
    const listed = await store().listChatMessages('slack:C1:1.1');
    expect(listed.map((m) => [m.id, m.seq, m.request])).toEqual([
      ['m1', 1, { op: 'post', channelId: 'C1', body: { text: 'm1', thread_ts: '1.1' } }],
      ['m2', 2, { op: 'post', channelId: 'C1', body: { text: 'm2', thread_ts: '1.1' } }],
    ]);
    expect((await store().listChatMessages('discord:9'))[0]?.seq).toBe(1);
  });

  it('writers of one new thread at once: every message is stored, each with a seq of its own', async () => {
    // Three deliveries of one post finish together in different workers: each stores its reply in
    // the post's thread. None may be lost to another taking the same seq (rounds, as a race may
    // show in one round and not the next).
    for (let round = 0; round < 5; round++) {
      const thread = `slack:C1:${round}.2`;
      const added = await Promise.all(
        Array.from({ length: 30 }, (_, i) => store().addChatMessage(message(`r${round}m${i}`, { thread }))),
      );
      expect(added.every((a) => a)).toBe(true);
      const listed = await store().listChatMessages(thread);
      expect(listed).toHaveLength(30);
      expect(new Set(listed.map((m) => m.seq)).size).toBe(30);
    }
  });

  it('takeDueChatMessages takes only the first unsent message of each thread', async () => {
    await store().addChatMessage(message('a1'));
    await store().addChatMessage(message('a2'));
    await store().addChatMessage(message('b1', { thread: 'discord:9', chat: 'discord' }));
    expect(await store().nextChatMessageDueAt()).toBe(T0);
    const first = await store().takeDueChatMessages(T0, T0 + 60_000, 10);
    expect(ids(first).sort()).toEqual(['a1', 'b1']);
    expect(first.map((m) => [m.state, m.attempts, m.leaseUntil])).toEqual([
      ['sending', 1, T0 + 60_000],
      ['sending', 1, T0 + 60_000],
    ]);
    // a2 waits while a1 is sending, and while a1 waits for its retry.
    expect(await store().takeDueChatMessages(T0, T0 + 60_000, 10)).toEqual([]);
    await store().finishChatMessage('a1', { kind: 'retry', dueAt: T0 + 5_000, error: 'Slack answered 503.' }, T0);
    expect(await store().takeDueChatMessages(T0 + 1_000, T0 + 60_000, 10)).toEqual([]);
    expect(await store().nextChatMessageDueAt()).toBe(T0);
    expect(ids(await store().takeDueChatMessages(T0 + 5_000, T0 + 60_000, 10))).toEqual(['a1']);
    await store().finishChatMessage('a1', { kind: 'sent' }, T0 + 5_000);
    expect(ids(await store().takeDueChatMessages(T0 + 5_000, T0 + 60_000, 10))).toEqual(['a2']);
    await store().finishChatMessage('a2', { kind: 'dropped', error: 'channel_not_found' }, T0 + 5_000);
    const listed = await store().listChatMessages('slack:C1:1.1');
    expect(listed.map((m) => [m.id, m.state, m.lastError])).toEqual([
      ['a1', 'sent', undefined],
      ['a2', 'dropped', 'channel_not_found'],
    ]);
  });

  it('a thread whose first message waits for a retry is reached even when many messages behind heads are due earlier', async () => {
    // Five threads: each first message failed and waits until T0 + 5 s; the replies behind it
    // were due at T0. Taking 2 at a time must still find the heads once they are due.
    for (let t = 0; t < 5; t++) {
      for (let n = 0; n < 4; n++) await store().addChatMessage(message(`t${t}m${n}`, { thread: `t${t}` }));
    }
    const heads = await store().takeDueChatMessages(T0, T0 + 60_000, 5);
    expect(ids(heads).sort()).toEqual(['t0m0', 't1m0', 't2m0', 't3m0', 't4m0']);
    for (const m of heads) {
      await store().finishChatMessage(m.id, { kind: 'retry', dueAt: T0 + 5_000, error: 'Slack answered 503.' }, T0);
    }
    expect(await store().takeDueChatMessages(T0 + 1_000, T0 + 60_000, 2)).toEqual([]);
    const again = await store().takeDueChatMessages(T0 + 5_000, T0 + 60_000, 2);
    expect(again.map((m) => m.seq)).toEqual([1, 1]);
  });

  it('a message whose sender died (lease ran out) is taken again, still before the next of its thread', async () => {
    await store().addChatMessage(message('a1'));
    await store().addChatMessage(message('a2'));
    await store().takeDueChatMessages(T0, T0 + 100, 10);
    expect(await store().takeDueChatMessages(T0 + 50, T0 + 150, 10)).toEqual([]);
    const again = await store().takeDueChatMessages(T0 + 101, T0 + 200, 10);
    expect(again.map((m) => [m.id, m.attempts])).toEqual([['a1', 2]]);
  });

  it('two senders taking at once never share a message', async () => {
    for (let i = 0; i < 10; i++) await store().addChatMessage(message(`m${i}`, { thread: `t${i}` }));
    const [a, b] = await Promise.all([
      store().takeDueChatMessages(T0, T0 + 60_000, 10),
      store().takeDueChatMessages(T0, T0 + 60_000, 10),
    ]);
    const taken = [...ids(a ?? []), ...ids(b ?? [])];
    expect(new Set(taken).size).toBe(10);
    expect(taken.length).toBe(10);
  });
}
