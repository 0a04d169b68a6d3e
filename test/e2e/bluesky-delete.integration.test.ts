import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { startHayon, type TestHayon } from '../harness.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';

const unavailable = pdsUnavailableReason();
if (unavailable) console.warn(`Skipping the Bluesky delete tests: ${unavailable}`);

// POST /v1/posts → a real local PDS → DELETE /v1/posts/:id → the records read back: not found.
describe.skipIf(unavailable)('end to end: a post deleted from a real Bluesky PDS', () => {
  let pds: TestPds;
  let client: PdsClient;
  let h: TestHayon;
  let user: { handle: string; did: string; password: string };

  beforeAll(async () => {
    pds = await startPds();
    client = new PdsClient(pds.url);
    h = await startHayon({});
    user = await client.createAccount('del');
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', {
      service: pds.url,
      identifier: user.handle,
      appPassword: user.password,
    });
  });
  afterAll(async () => {
    await h?.stop();
    await pds?.stop();
  });

  const rkeyOf = (uri: string) => uri.split('/').at(-1) ?? '';
  const notFound = (uri: string) =>
    expect(client.getRecord(user.did, rkeyOf(uri))).rejects.toThrow(/400 .*RecordNotFound/);

  it('deletes a thread part by part: every record is gone from the PDS, and a second delete is a 409', async () => {
    const text = Array.from({ length: 12 }, (_, i) => `Part of a longer note, sentence ${i + 1} of twelve.`).join(' ');
    const created = await (
      await h.api('POST', '/v1/posts', { text, targets: [`bluesky:${user.handle}`], thread: 'auto' })
    ).json();
    await h.drain();
    const before = await client.listPosts(user.did);
    expect(before.length).toBeGreaterThan(1);
    for (const { uri } of before) expect(await client.getRecord(user.did, rkeyOf(uri))).toMatchObject({ uri });

    const res = await h.api('DELETE', `/v1/posts/${created.id}`);
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.results).toEqual([expect.objectContaining({ platform: 'bluesky', result: 'deleted' })]);
    expect(answer.post.status).toBe('DELETED');
    for (const { uri } of before) await notFound(uri);
    expect(await client.listPosts(user.did)).toEqual([]);

    const again = await h.api('DELETE', `/v1/posts/${created.id}`);
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toBe('This post was already deleted: nothing changed.');
  });
});
