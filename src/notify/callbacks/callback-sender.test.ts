import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialBox } from '../../crypto/credential-box.js';
import type { Callback } from '../../core/hook.js';
import { verifyHayon } from '../../core/hooks/signature.js';
import { createLogger } from '../../logger.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { T0 } from '../../../test/store/store-fixtures.js';
import { CallbackSender } from './callback-sender.js';
import type { CallbackAnswer } from './post-callback.js';
import { SigningSecrets } from '../../services/signing-secrets.js';

const HOUR = 3_600_000;

describe('CallbackSender', () => {
  let store: SqliteStore;
  let now: number;
  let answers: CallbackAnswer[];
  let sent: { url: string; body: string; headers: Record<string, string> }[];
  let secrets: SigningSecrets;
  let sender: CallbackSender;

  const callback = (overrides: Partial<Callback> = {}): Callback => ({
    id: 'dlv_1.published',
    postId: 'post_1',
    workspaceId: 'ws_1',
    url: 'https://cms.example/cb',
    body: '{"id":"dlv_1.published"}',
    signer: { kind: 'workspace' },
    state: 'pending',
    attempts: 0,
    dueAt: now,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  });
  /** One pass: what is due is sent and recorded. */
  const pass = async () => {
    sender.start();
    await sender.stop();
  };
  const stored = async () => (await store.listCallbacks('post_1'))[0];

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.init();
    now = T0;
    answers = [];
    sent = [];
    secrets = new SigningSecrets(new CredentialBox(randomBytes(32)), randomBytes(32), store);
    sender = new CallbackSender(
      {
        store,
        clock: () => now,
        log: createLogger('silent'),
        secrets,
        post: async (url, body, headers) => {
          sent.push({ url, body, headers });
          return answers.shift() ?? { kind: 'answered', status: 200 };
        },
      },
      { retryDelaysMs: [10_000, 60_000], giveUpAfterMs: 24 * HOUR, pollMs: 60_000 },
    );
  });
  afterEach(() => store.close());

  it('signs each attempt with the workspace secret and marks a 2xx sent', async () => {
    await store.addCallback(callback());
    await pass();
    expect(sent).toHaveLength(1);
    const [first] = sent;
    expect(first?.headers['x-hayon-event-id']).toBe('dlv_1.published');
    const check = verifyHayon(
      first?.headers['x-hayon-signature'],
      Buffer.from(first?.body ?? ''),
      [secrets.workspaceSecret('ws_1')],
      now,
    );
    expect(check).toEqual({ ok: true });
    expect(await stored()).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('while HAYON_SECRET_KEY is rotated, signs with the new and each previous workspace secret', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const before = new SigningSecrets(new CredentialBox(oldKey), oldKey, store);
    const during = new SigningSecrets(new CredentialBox(newKey, [oldKey]), newKey, store, [oldKey]);
    const after = new SigningSecrets(new CredentialBox(newKey), newKey, store);
    expect(during.workspaceSecrets('ws_1')).toEqual([after.workspaceSecret('ws_1'), before.workspaceSecret('ws_1')]);
    const rotating = new CallbackSender(
      {
        store,
        clock: () => now,
        log: createLogger('silent'),
        secrets: during,
        post: async (url, body, headers) => {
          sent.push({ url, body, headers });
          return { kind: 'answered', status: 200 };
        },
      },
      { pollMs: 60_000 },
    );
    await store.addCallback(callback());
    rotating.start();
    await rotating.stop();
    const header = sent[0]?.headers['x-hayon-signature'];
    expect(header?.match(/v1=/g)).toHaveLength(2);
    const body = Buffer.from(sent[0]?.body ?? '');
    // A receiver still on the old secret, and one that switched already, both verify.
    for (const s of [before, after])
      expect(verifyHayon(header, body, [s.workspaceSecret('ws_1')], now)).toEqual({ ok: true });
  });

  it('tries a 500 again after the backoff, then stops at a 410', async () => {
    await store.addCallback(callback());
    answers.push({ kind: 'answered', status: 500 });
    await pass();
    const retry = await stored();
    expect(retry).toMatchObject({ state: 'pending', attempts: 1, lastError: 'The receiver answered 500.' });
    expect(retry?.dueAt).toBeGreaterThanOrEqual(now + 9_000);
    expect(retry?.dueAt).toBeLessThanOrEqual(now + 11_000);
    await pass();
    expect(sent).toHaveLength(1);
    now = retry?.dueAt ?? now;
    answers.push({ kind: 'answered', status: 410 });
    await pass();
    expect(sent).toHaveLength(2);
    expect(await stored()).toMatchObject({
      state: 'failed',
      attempts: 2,
      lastError: 'The receiver answered 410 Gone.',
    });
  });

  it('gives up once retries would pass 24 hours after the event', async () => {
    await store.addCallback(callback({ createdAt: now - 24 * HOUR + 30_000, attempts: 5 }));
    answers.push({ kind: 'unreachable', message: 'cms.example did not answer within 10000 ms.' });
    await pass();
    expect(await stored()).toMatchObject({ state: 'failed' });
    expect((await stored())?.lastError).toMatch(/did not answer.*Gave up after 6 attempts/);
  });

  it('fails at once for a URL that now points to a private network, and for a deleted hook', async () => {
    await store.addCallback(callback());
    answers.push({ kind: 'refused', reason: 'private_address', message: 'private' });
    await pass();
    expect(await stored()).toMatchObject({ state: 'failed', lastError: 'private' });
    await store.addCallback(callback({ id: 'other', signer: { kind: 'hook', hookId: 'hk_gone' } }));
    await pass();
    expect((await store.listCallbacks('post_1')).find((c) => c.id === 'other')).toMatchObject({
      state: 'failed',
      lastError: 'The hook that signs this callback was deleted.',
    });
    expect(sent).toHaveLength(1);
  });
});
