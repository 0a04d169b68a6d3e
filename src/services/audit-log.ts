import type { Logger } from '../logger.js';
import type { AuditStore } from '../store/ports/audit-store.js';
import type { Actor, AuditAction, AuditDetails, AuditEntry } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';

/** What is recorded; the id and the time are the log's. */
export interface AuditRecord {
  workspaceId: string;
  actor: Actor;
  action: AuditAction;
  target?: string | undefined;
  details?: AuditDetails | undefined;
}

/**
 * Writes the audit log. Recording is a side note to the action it describes: a failed write is
 * logged as a warning and never fails the action (the post is made, the token is revoked).
 * Callers pass ids and counts only, never a secret or a post's text.
 */
export class AuditLog {
  constructor(private readonly deps: { store: AuditStore; clock: Clock; log: Logger }) {}

  async record(entry: AuditRecord): Promise<void> {
    const full = this.entry(entry);
    try {
      await this.deps.store.addAudit(full);
    } catch (err) {
      this.deps.log.warn({ err, action: entry.action, target: entry.target }, 'audit entry not recorded');
    }
  }

  /**
   * The entry `record` would write, with its id and time, for a store to write itself in the
   * transaction of the action it describes (`createPost`'s `post.created`).
   */
  entry(entry: AuditRecord): AuditEntry {
    const at = this.deps.clock();
    return {
      id: newId('aud', at),
      workspaceId: entry.workspaceId,
      at,
      actor: withoutUndefined(entry.actor),
      action: entry.action,
      ...(entry.target !== undefined ? { target: entry.target } : {}),
      ...(entry.details !== undefined ? { details: entry.details } : {}),
    };
  }

  /** A workspace's entries, newest first; `before` (epoch ms) pages back to older ones (`hayon audit`). */
  list(workspaceId: string, options: { limit: number; before?: number }): Promise<AuditEntry[]> {
    return this.deps.store.listAudit(workspaceId, options);
  }
}

/** The stores keep absent fields absent; an actor built with `id: undefined` must not become `id: null`. */
function withoutUndefined(actor: Actor): Actor {
  return {
    kind: actor.kind,
    ...(actor.id !== undefined ? { id: actor.id } : {}),
    ...(actor.name !== undefined ? { name: actor.name } : {}),
  };
}
