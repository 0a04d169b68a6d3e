import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import { type AuditEntry, formatActor } from '../../core/audit.js';
import { type Command, parseFlags, UsageError } from '../io.js';

export const usage = 'hayon audit [--limit 50] [--before ISO] [--json] [--workspace W]';

/** `2026-11-29T09:00:00.000Z  slack:U123 (alice)  post.created  post_…  targets=2` */
export function auditLine(e: AuditEntry): string {
  const details = Object.entries(e.details ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [new Date(e.at).toISOString(), formatActor(e.actor), e.action, e.target ?? '-', details]
    .filter(Boolean)
    .join('  ');
}

/** `hayon audit`: who made, cancelled, replayed and connected what, newest first. */
export const auditCommand: Command = async ({ args, open, io }) => {
  const { values, positionals } = parseFlags(
    args,
    { limit: { type: 'string' }, before: { type: 'string' }, json: { type: 'boolean' }, workspace: { type: 'string' } },
    usage,
  );
  if (positionals.length) throw new UsageError(`unexpected "${positionals[0]}"\nusage: ${usage}`);
  const limit = Number(values.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new UsageError(`--limit must be 1 to 10000\nusage: ${usage}`);
  }
  const before = values.before === undefined ? undefined : Date.parse(values.before);
  if (before !== undefined && Number.isNaN(before))
    throw new UsageError(`--before must be an ISO time\nusage: ${usage}`);
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  const ctx = await open();
  const entries = await ctx.audit.list(workspaceId, { limit, ...(before !== undefined ? { before } : {}) });
  if (values.json) {
    io.out(JSON.stringify(entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() }))));
    return 0;
  }
  if (entries.length === 0) io.err(`Nothing recorded yet in workspace ${workspaceId}.`);
  for (const e of entries) io.out(auditLine(e));
  return 0;
};
