/**
 * A signal that aborts when a parent does or `ms` pass (reading the body included). Not
 * `AbortSignal.any([..., AbortSignal.timeout(ms)])`: on Node 20.20 that combined signal is held
 * only weakly, and after a garbage collection its listeners never fire, so a hanging call would
 * hang for good. The timer here holds the controller until it fires.
 */
export function deadline(parents: AbortSignal[], ms: number): AbortSignal {
  const ac = new AbortController();
  const onAbort = function (this: AbortSignal) {
    finish(this.reason);
  };
  const finish = (reason: unknown) => {
    clearTimeout(timer);
    for (const p of parents) p.removeEventListener('abort', onAbort);
    ac.abort(reason);
  };
  const timer = setTimeout(() => finish(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  for (const p of parents) {
    if (p.aborted) {
      finish(p.reason);
      break;
    }
    p.addEventListener('abort', onAbort);
  }
  return ac.signal;
}
