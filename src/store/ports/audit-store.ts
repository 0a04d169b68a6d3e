import type { AuditEntry } from '../../core/audit.js';

/** The audit log: who changed what in a workspace, kept apart from the data it describes. */
export interface AuditStore {
  addAudit(entry: AuditEntry): Promise<void>;
  /** A workspace's entries, newest first; `before` (epoch ms) pages back to older ones. */
  listAudit(workspaceId: string, options: { limit: number; before?: number }): Promise<AuditEntry[]>;
}
