/** Every post record of a repo on the PDS, following the listRecords cursor. */
export async function listAllPosts(pdsUrl: string, did: string): Promise<{ uri: string; value: { text: string } }[]> {
  const all: { uri: string; value: { text: string } }[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({
      repo: did,
      collection: 'app.bsky.feed.post',
      limit: '100',
      ...(cursor ? { cursor } : {}),
    });
    const res = await fetch(`${pdsUrl}/xrpc/com.atproto.repo.listRecords?${q}`);
    if (!res.ok) throw new Error(`listRecords: ${res.status}`);
    const page = (await res.json()) as { records: { uri: string; value: { text: string } }[]; cursor?: string };
    all.push(...page.records);
    cursor = page.records.length > 0 ? page.cursor : undefined;
  } while (cursor);
  return all;
}

/** Sends `count` posts at `concurrency` requests at a time; returns the post ids. */
export async function postMany(
  apiUrl: string,
  token: string,
  count: number,
  body: (i: number) => unknown,
  concurrency = 16,
): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const loop = async () => {
    while (next < count) {
      const i = next++;
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await fetch(`${apiUrl}/v1/posts`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': `load-${i}`,
            },
            body: JSON.stringify(body(i)),
          });
          if (res.status === 429 || res.status === 503) {
            // Rate limited, or the store away (chaos): wait as told and try again; this is not a
            // failure of the request (nothing was written, the idempotency key makes it one post).
            const wait = Number(res.headers.get('retry-after') ?? 1);
            if (res.status === 503) console.warn(`POST ${i}: 503 ${await res.text()}; sent again in ${wait} s`);
            else await res.body?.cancel();
            await new Promise((r) => setTimeout(r, Math.max(wait, 1) * 1000));
            attempt--;
            continue;
          }
          if (res.status !== 202 && res.status !== 200) throw new Error(`POST ${i}: ${res.status} ${await res.text()}`);
          ids[i] = ((await res.json()) as { id: string }).id;
          break;
        } catch (e) {
          // The API may be briefly busy while the broker restarts; the idempotency key makes a retry safe.
          if (attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return ids;
}
