/** One injected failure: the next `times` calls whose URL path ends with `method` get `status`. */
export interface Fault {
  method: string;
  status: number;
  times: number;
  error?: string;
}

/**
 * FaultyFetch: passes every call to the real fetch, except those matching a queued fault, which
 * get the platform-shaped error answer instead (the call never reaches the server). Lets a test
 * put a real server behind a 503 or a 401 without the server knowing.
 */
export function faultyFetch(): { fetch: typeof fetch; inject(fault: Fault): void; hits: string[] } {
  const faults: Fault[] = [];
  const hits: string[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const path = new URL(url).pathname;
    const fault = faults.find((f) => f.times > 0 && path.endsWith(f.method));
    if (fault) {
      fault.times--;
      hits.push(`${path} ${fault.status}`);
      const error = fault.error ?? (fault.status === 401 ? 'AuthenticationRequired' : 'InternalServerError');
      return new Response(JSON.stringify({ error, message: `injected ${fault.status}` }), {
        status: fault.status,
        headers: { 'content-type': 'application/json' },
      });
    }
    return fetch(input, init);
  };
  return { fetch: wrapped, inject: (f) => faults.push({ ...f }), hits };
}
