import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { deadline } from '../../core/deadline.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deadline', () => {
  it('aborts after the time with a TimeoutError, even when nothing else holds the signal', async () => {
    const parent = new AbortController();
    const reasons: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      deadline([parent.signal], 50).addEventListener('abort', function (this: AbortSignal) {
        reasons.push(this.reason);
      });
    }
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(5);
    }
    await sleep(150);
    expect(reasons).toHaveLength(5);
    expect((reasons[0] as Error).name).toBe('TimeoutError');
  });

  it('aborts with the parent, or at once when a parent already is', () => {
    const parent = new AbortController();
    const signal = deadline([new AbortController().signal, parent.signal], 10_000);
    parent.abort(new Error('shutting down'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('shutting down');
    expect(deadline([parent.signal], 10_000).aborted).toBe(true);
  });
});
