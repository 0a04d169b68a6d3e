/**
 * Rejects when `work` takes longer than `ms`. For the scheduler's and sweeper's passes: a call
 * that never answers (a broker that went away mid-handshake) must not stop them for good. The
 * work itself goes on in the background; whatever it did is safe to do again.
 */
export async function timeBound<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
