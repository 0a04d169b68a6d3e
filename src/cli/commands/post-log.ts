import { targetName } from '../../notify/post-summary.js';
import type { Callback } from '../../core/hook.js';
import type { AttemptRecord } from '../../core/history.js';
import type { Account, PostWithDeliveries } from '../../core/post.js';
import { formatInZone } from '../../core/time-zone.js';
import type { CliIo } from '../io.js';

export interface PostLog {
  value: PostWithDeliveries;
  attempts: readonly AttemptRecord[];
  callbacks: readonly Callback[];
  accounts: readonly Account[];
}

const iso = (at: number | undefined) => (at === undefined ? undefined : new Date(at).toISOString());

/** The event type and the host of a callback, never its URL's path or query (they may hold a token). */
function callbackSummary(c: Callback) {
  let type = 'event';
  try {
    type = String((JSON.parse(c.body) as { type?: unknown }).type ?? type);
  } catch {}
  let host = '?';
  try {
    host = new URL(c.url).host;
  } catch {}
  return { id: c.id, type, host, state: c.state, attempts: c.attempts, lastError: c.lastError, at: iso(c.createdAt) };
}

/**
 * `hayon posts show <id> --log`: the post's history from the store. Where it came from and its
 * correlation id (the one on every log line about it), then per delivery each attempt (when,
 * which worker, how long, how it ended, why, and when the next one is due), then its callbacks.
 */
export function printPostLog(io: CliIo, log: PostLog, json: boolean): void {
  const { post, deliveries } = log.value;
  if (json) {
    io.out(
      JSON.stringify(
        {
          postId: post.id,
          correlationId: post.correlationId,
          source: post.origin.kind,
          createdAt: iso(post.createdAt),
          scheduledAt: iso(post.scheduledAt),
          attempts: log.attempts.map((a) => ({
            ...a,
            startedAt: iso(a.startedAt),
            endedAt: iso(a.endedAt),
            nextAttemptAt: iso(a.nextAttemptAt),
            error: a.error && { ...a.error, at: iso(a.error.at) },
          })),
          callbacks: log.callbacks.map(callbackSummary),
        },
        null,
        2,
      ),
    );
    return;
  }
  io.out(`post ${post.id} from ${post.origin.kind}, correlation id ${post.correlationId}`);
  io.out(`  created ${iso(post.createdAt)}, due ${formatInZone(post.scheduledAt, post.timezone)}`);
  for (const d of deliveries) {
    const now = d.state === 'published' ? `published ${d.result?.url ?? ''}`.trim() : d.state;
    io.out(`${targetName(d, log.accounts)} (${d.id}): ${now}`);
    const mine = log.attempts.filter((a) => a.deliveryId === d.id);
    if (mine.length === 0) io.out(`  no attempt yet${d.state === 'scheduled' ? `; due ${iso(d.dueAt)}` : ''}`);
    for (const a of mine) {
      const ms = `${Math.max(0, a.endedAt - a.startedAt)} ms`;
      const why = a.error ? ` ${a.error.kind}${a.error.status ? ` ${a.error.status}` : ''}: ${a.error.message}` : '';
      const next = a.nextAttemptAt !== undefined ? `; next ${iso(a.nextAttemptAt)}` : '';
      const url = a.url ? ` ${a.url}` : '';
      io.out(
        `  ${iso(a.startedAt)}  #${a.attempt}  ${a.outcome.padEnd(9)} ${ms.padStart(8)}  ${a.worker}${url}${why}${next}`,
      );
    }
  }
  if (log.callbacks.length > 0) {
    io.out('callbacks:');
    for (const c of log.callbacks.map(callbackSummary)) {
      const error = c.lastError ? ` (${c.lastError})` : '';
      io.out(`  ${c.at}  ${c.type.padEnd(19)} to ${c.host}: ${c.state} after ${c.attempts} attempt(s)${error}`);
    }
  }
}
