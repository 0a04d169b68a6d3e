import type { Actor } from './connect.js';
import type { Author, Origin } from './post.js';

export type { Actor };

/** Everything the audit log records, one name per thing that happened. */
export const auditActions = [
  'post.created',
  'post.cancelled',
  'post.published_now',
  'post.retried',
  'post.edited',
  'post.deleted',
  'delivery.replayed',
  'notify.dropped',
  'account.connected',
  'account.reconnected',
  'account.removed',
  'token.created',
  'token.revoked',
  'hook.created',
  'hook.enabled',
  'hook.disabled',
  'hook.deleted',
  'hook.secret_rotated',
  'secrets.rotated',
  'web.link_created',
  'web.signed_in',
  'web.signed_out',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Small facts about what happened (counts, a platform, a scope list). Never a secret. */
export type AuditDetails = Record<string, string | number | boolean>;

/** One line of a workspace's audit log: who did what, from which way in, to what. */
export interface AuditEntry {
  id: string;
  workspaceId: string;
  /** When it happened (epoch ms). */
  at: number;
  actor: Actor;
  action: AuditAction;
  /** The id of what it was done to: a post, a delivery, an account, a token, a hook. */
  target?: string | undefined;
  details?: AuditDetails | undefined;
}

/** The system itself (a sweep, a migration): when no person or caller is behind an action. */
export const systemActor: Actor = { kind: 'system' };

/**
 * Who made a post, from where it came in: the API token, the Slack or Discord user, the webhook,
 * or the command line.
 */
export function actorOf(origin: Origin, author: Author = {}): Actor {
  const named = (kind: Actor['kind'], id: string | undefined): Actor => ({
    kind,
    ...(id !== undefined ? { id } : {}),
    ...(author.name !== undefined ? { name: author.name } : {}),
  });
  switch (origin.kind) {
    case 'api':
      return named('api', origin.tokenId ?? author.id);
    case 'webhook':
      return named('webhook', origin.hookId);
    case 'cli':
    case 'web':
    case 'slack':
    case 'discord':
      return named(origin.kind, author.id);
  }
}

/** `slack:U123 (alice)`, `cli (ada)`, `system`: an actor on one line. */
export function formatActor(actor: Actor): string {
  const who = actor.id ? `${actor.kind}:${actor.id}` : actor.kind;
  return actor.name ? `${who} (${actor.name})` : who;
}
