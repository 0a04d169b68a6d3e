import { randomBytes } from 'node:crypto';
import { unconfirmedText } from '../../src/notify/results-messages.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { mongoDatabaseUrl, mongoTestServer } from '../mongo-server.js';

/** The Slack channel the chaos posts report to (the workspace's results channel). */
export const resultsChannel = 'C0CHAOS';

/**
 * A TCP proxy in front of the shared MongoDB-compatible server, and a database of the chaos run's
 * own behind it: every hayon process of the run reaches its store through the proxy, so the test
 * takes the database away for them (and only them) with `proxy.cut()`.
 */
export async function databaseBehindProxy(): Promise<{ proxy: TcpFaultProxy; url: string }> {
  const base = mongoTestServer().url ?? '';
  const server = /^mongodb:\/\/(?:[^@/]*@)?([^/:]+):(\d+)/.exec(base);
  if (!server) throw new Error('expected a mongodb://host:port URL for the test server');
  const proxy = new TcpFaultProxy(server[1] ?? '', Number(server[2]));
  const port = await proxy.start();
  const db = `hayon_chaos_${randomBytes(4).toString('hex')}`;
  // A small pool per process: several processes share one test server on a 2-core machine.
  const url = mongoDatabaseUrl(base.replace(`${server[1]}:${server[2]}`, `127.0.0.1:${port}`), db, {
    maxPoolSize: '8',
  });
  return { proxy, url };
}

/** FakeSlackApi, and the environment that makes every hayon process of the run use it. */
export async function chatApi(): Promise<{ slack: FakeSlackApi; env: Record<string, string> }> {
  const slack = new FakeSlackApi();
  await slack.start();
  return {
    slack,
    env: {
      HAYON_SLACK_BOT_TOKEN: slack.botToken,
      HAYON_SLACK_SIGNING_SECRET: 'chaos-slack-signing-secret',
      HAYON_SLACK_API_URL: slack.apiUrl,
    },
  };
}

export interface ReplyCount {
  /** Top-level messages (one per post whose results thread was opened). */
  threads: number;
  /**
   * Top-level messages left marked "Not confirmed": their post's write was cut off and it was not
   * stored; the request sent again made the post, with a message of its own.
   */
  unconfirmed: number;
  /** One outcome reply per delivery: threads × targets. */
  expected: number;
  /** Outcome replies ("published" or "failed") found, at most one counted per account and thread. */
  found: number;
  /** Threads with a second outcome reply for one account, or one for no account of the run. */
  doubled: number;
}

/** Counts the outcome replies in each post's thread in the results channel. */
export function countOutcomeReplies(slack: FakeSlackApi, handles: readonly string[]): ReplyCount {
  const all = slack.messages(resultsChannel);
  const byThread = new Map<string, string[]>();
  for (const m of all) {
    if (!m.thread_ts) continue;
    const list = byThread.get(m.thread_ts) ?? [];
    list.push(m.text ?? '');
    byThread.set(m.thread_ts, list);
  }
  const top = all.filter((m) => !m.thread_ts);
  const threads = top.filter((m) => !m.text?.startsWith(unconfirmedText));
  let found = 0;
  let doubled = 0;
  for (const t of threads) {
    const outcomes = (byThread.get(t.ts) ?? []).filter((text) => /: (published|failed)\b/.test(text));
    for (const handle of handles) {
      const mine = outcomes.filter((text) => text.includes(` ${handle}: `)).length;
      found += Math.min(mine, 1);
      if (mine > 1) doubled++;
    }
    if (outcomes.some((text) => !handles.some((h) => text.includes(` ${h}: `)))) doubled++;
  }
  return {
    threads: threads.length,
    unconfirmed: top.length - threads.length,
    expected: threads.length * handles.length,
    found,
    doubled,
  };
}

/** The (thread, account) pairs of the results channel with no outcome reply: what to look into when one is lost. */
export function missingReplies(
  slack: FakeSlackApi,
  handles: readonly string[],
): { threadTs: string; handle: string }[] {
  const all = slack.messages(resultsChannel);
  const missing: { threadTs: string; handle: string }[] = [];
  for (const t of all.filter((m) => !m.thread_ts && !m.text?.startsWith(unconfirmedText))) {
    const outcomes = all.filter((m) => m.thread_ts === t.ts && /: (published|failed)\b/.test(m.text ?? ''));
    for (const handle of handles) {
      if (!outcomes.some((m) => (m.text ?? '').includes(` ${handle}: `))) missing.push({ threadTs: t.ts, handle });
    }
  }
  return missing;
}
