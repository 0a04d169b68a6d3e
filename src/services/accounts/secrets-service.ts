import type { Actor } from '../../core/audit.js';
import type { AuditLog } from '../audit-log.js';
import { type RotateSecretsDeps, type RotationReport, rotateSecrets } from './rotate-secrets.js';

export interface SecretsServiceDeps extends RotateSecretsDeps {
  /** Records the rotation in each workspace it touched (never fails the action). */
  audit: Pick<AuditLog, 'record'>;
}

/** `hayon secrets rotate`: everything sealed anew with the current key, in each workspace's audit log. */
export class SecretsService {
  constructor(private readonly deps: SecretsServiceDeps) {}

  async rotate(actor: Actor): Promise<RotationReport> {
    const report = await rotateSecrets(this.deps);
    const { accounts, hooks, unreadable } = report;
    for (const workspaceId of report.workspaces) {
      const details = {
        accounts: accounts.resealed,
        hooks: hooks.resealed,
        unreadable: unreadable.filter((u) => u.workspaceId === workspaceId).length,
      };
      await this.deps.audit.record({ workspaceId, actor, action: 'secrets.rotated', details });
    }
    return report;
  }
}
