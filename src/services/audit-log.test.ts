import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { actorOf, formatActor } from '../core/audit.js';
import { AuditLog } from './audit-log.js';

describe('actorOf: who made a post, from its origin and author', () => {
  it.each([
    [
      { kind: 'api', tokenId: 'tok_1' },
      { id: 'tok_1', name: 'ci' },
      { kind: 'api', id: 'tok_1', name: 'ci' },
    ],
    [
      { kind: 'slack', teamId: 'T1', channelId: 'C1' },
      { id: 'U123', name: 'alice' },
      { kind: 'slack', id: 'U123', name: 'alice' },
    ],
    [{ kind: 'discord', guildId: 'G', channelId: 'C' }, { id: '42' }, { kind: 'discord', id: '42' }],
    [
      { kind: 'webhook', hookId: 'hk_1' },
      { id: 'hk_1', name: 'webhook blog' },
      { kind: 'webhook', id: 'hk_1', name: 'webhook blog' },
    ],
    [{ kind: 'cli' }, { name: 'ada' }, { kind: 'cli', name: 'ada' }],
    [{ kind: 'cli' }, {}, { kind: 'cli' }],
  ] as const)('%j by %j is %j', (origin, author, actor) => {
    expect(actorOf(origin, author)).toEqual(actor);
  });

  it('formats an actor on one line', () => {
    expect(formatActor({ kind: 'slack', id: 'U123', name: 'alice' })).toBe('slack:U123 (alice)');
    expect(formatActor({ kind: 'cli', name: 'ada' })).toBe('cli (ada)');
    expect(formatActor({ kind: 'system' })).toBe('system');
  });
});

describe('AuditLog', () => {
  it('stores an entry with an id and the time, leaving undefined fields out', async () => {
    const stored: unknown[] = [];
    const audit = new AuditLog({
      store: { addAudit: async (e) => void stored.push(e), listAudit: async () => [] },
      clock: () => 1_000,
      log: createLogger('silent'),
    });
    await audit.record({ workspaceId: 'ws_1', actor: { kind: 'api', id: undefined }, action: 'token.created' });
    expect(stored).toEqual([
      {
        id: expect.stringMatching(/^aud_/),
        workspaceId: 'ws_1',
        at: 1_000,
        actor: { kind: 'api' },
        action: 'token.created',
      },
    ]);
  });

  it('never fails the action when the store refuses: it logs a warning', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const audit = new AuditLog({
      store: {
        listAudit: async () => [],
        addAudit: async () => {
          throw new Error('disk full');
        },
      },
      clock: () => 1_000,
      log: createLogger('info', sink),
    });
    await expect(
      audit.record({ workspaceId: 'ws_1', actor: { kind: 'cli' }, action: 'post.cancelled', target: 'post_1' }),
    ).resolves.toBeUndefined();
    const [line] = lines.map((l) => JSON.parse(l));
    expect(line).toMatchObject({
      level: 40,
      msg: 'audit entry not recorded',
      action: 'post.cancelled',
      target: 'post_1',
    });
  });
});
