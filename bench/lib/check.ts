// The one check every bench makes before it prints a figure (STYLE.md, "Benches"): a figure is
// printed only over work that succeeded. Any unexpected status, failed delivery, or anything
// published twice or not at all makes the bench say what went wrong and exit 1, with no figure:
// assertAllOk throws, so that the bench's own `finally` still cleans up (its database, its vhost)
// and the rejected top-level await ends the process with code 1.

/** What a bench saw, all optional: each part given is checked. */
export interface BenchOutcome {
  /** Answers by status (`'network'` for requests that got none), and the statuses expected. */
  statuses?: Readonly<Record<string, number>>;
  expectedStatuses?: readonly number[];
  /** Every key that should be published exactly once, and how many times each was (by key). */
  expected?: Iterable<string>;
  published?: ReadonlyMap<string, number>;
  /** Deliveries that ended failed (or any other count that must be 0), by what they are. */
  failed?: Readonly<Record<string, number>>;
  /** Anything else that went wrong, in words. */
  problems?: readonly string[];
}

/** What is wrong with an outcome, one sentence a problem; empty when all is well. */
export function problemsOf(outcome: BenchOutcome): string[] {
  const problems = [...(outcome.problems ?? [])];
  if (outcome.statuses) {
    const expected = new Set((outcome.expectedStatuses ?? [200]).map(String));
    for (const [status, n] of Object.entries(outcome.statuses))
      if (!expected.has(status) && n > 0)
        problems.push(
          `${n} request(s) answered ${status === 'network' ? 'with no answer (network error)' : status}, expected ${[...expected].join(' or ')}`,
        );
  }
  if (outcome.expected || outcome.published) {
    const published = outcome.published ?? new Map<string, number>();
    const expected = new Set(outcome.expected ?? []);
    const missing = [...expected].filter((k) => !published.get(k));
    const twice = [...published].filter(([, n]) => n > 1);
    const stray = [...published.keys()].filter((k) => !expected.has(k));
    const some = (keys: string[]) => `${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''}`;
    if (missing.length) problems.push(`${missing.length} of ${expected.size} never published (${some(missing)})`);
    if (twice.length)
      problems.push(`${twice.length} published more than once (${some(twice.map(([k, n]) => `${k} ×${n}`))})`);
    if (stray.length) problems.push(`${stray.length} published that were not asked for (${some(stray)})`);
  }
  for (const [what, n] of Object.entries(outcome.failed ?? {})) if (n > 0) problems.push(`${n} ${what}`);
  return problems;
}

/** The run did not do all its work exactly once: no figure. */
export class BenchFailed extends Error {
  override readonly name = 'BenchFailed';
}

/**
 * Unless all is well, writes each problem to stderr and throws BenchFailed: call it before
 * printing any figure. `bench` names the bench (and the run, if it has several) in the message.
 */
export function assertAllOk(bench: string, outcome: BenchOutcome): void {
  const problems = problemsOf(outcome);
  if (problems.length === 0) return;
  for (const p of problems) console.error(`${bench}: ${p}`);
  process.exitCode = 1;
  throw new BenchFailed(`${bench}: no figure printed: the run did not do all its work exactly once`);
}

/** Says, in the bench's output, which limit it lifted and how: a figure without it would not be comparable. */
export function liftedLimit(what: string, how: string): void {
  console.log(`lifted: ${what} (${how})`);
}

/** Counts each successful publish by key: wraps `publish` of a platform (FakePlatform or a subclass). */
export function countPublishes<P extends { publish(input: { key: string }): Promise<unknown> }>(
  platform: P,
): Map<string, number> {
  const counts = new Map<string, number>();
  const publish = platform.publish.bind(platform);
  platform.publish = async (input) => {
    const result = await publish(input);
    counts.set(input.key, (counts.get(input.key) ?? 0) + 1);
    return result;
  };
  return counts;
}
