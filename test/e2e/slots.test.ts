import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signHayon } from '../../src/core/hooks/signature.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';

const hour = 3_600_000;

/** The instants of a daily slot at `hh:00` UTC after `now`, the first `n`. */
function dailyAt(hours: number[], now: number, n: number): string[] {
  const out: number[] = [];
  const midnight = Math.floor(now / (24 * hour)) * 24 * hour;
  for (let d = 0; out.length < n; d++) {
    for (const h of hours) {
      const at = midnight + d * 24 * hour + h * hour;
      if (at > now && out.length < n) out.push(at);
    }
  }
  return out.map((t) => new Date(t).toISOString());
}

// `when: "next slot"` through the API on the embedded default: the workspace's weekly slots,
// each taken by one post, the answer echoing the slot it got.
describe('a queue of time slots (API)', () => {
  let h: TestHayon;

  beforeEach(async () => {
    h = await startHayon({ platforms: { bluesky: new FakePlatform('bluesky', { maxLength: 300 }) } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterEach(async () => h.stop());

  const post = (text: string) => h.api('POST', '/v1/posts', { text, targets: ['bluesky'], when: 'next slot' });

  it('refuses "next slot" while the workspace has no slots, saying how to set them', async () => {
    const res = await post('queued');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.field).toBe('when');
    expect(body.error.message).toContain('hayon workspace set --slots "mon-fri 09:00,13:00; sat 10:00"');
    expect((await (await h.api('GET', '/v1/posts')).json()).posts ?? []).toHaveLength(0);
  });

  it('takes the next free slot in the workspace zone, skipping held and letting go of cancelled ones', async () => {
    // 15:00 and 03:00 in Tokyo (UTC+9, no daylight saving) are 06:00 and 18:00 UTC.
    await h.ctx.workspaces.updateSettings(h.workspaceId, { slots: 'mon-sun 15:00, 03:00', timezone: 'Asia/Tokyo' });
    const now = Date.now();
    const expected = dailyAt([6, 18], now, 3);
    const first = await (await post('one')).json();
    expect(first.status).toBe('SCHEDULED');
    expect(first.scheduledAt).toBe(expected[0]);
    expect(first.timezone).toBe('Asia/Tokyo');
    expect(first.scheduledAtLocal).toMatch(/ (15|03):00 .*Asia\/Tokyo/);
    const second = await (await post('two')).json();
    expect(second.scheduledAt).toBe(expected[1]);
    // A post given that time by hand holds it too.
    await h.api('POST', '/v1/posts', { text: 'by hand', targets: ['bluesky'], when: expected[2] });
    expect((await (await post('three')).json()).scheduledAt).toBe(dailyAt([6, 18], now, 4)[3]);
    // Cancelled, the first slot is free again.
    expect((await h.api('POST', `/v1/posts/${first.id}/cancel`)).status).toBe(200);
    expect((await (await post('four')).json()).scheduledAt).toBe(expected[0]);
  });

  it('gives posts that ask at the same moment each a slot of its own', async () => {
    await h.ctx.workspaces.updateSettings(h.workspaceId, { slots: 'mon-sun 06:00,18:00', timezone: 'UTC' });
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => post(`at once ${i}`)));
    const times = await Promise.all(answers.map(async (r) => (await r.json()).scheduledAt as string));
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(202));
    expect(new Set(times).size).toBe(6);
    expect([...times].sort()).toEqual(dailyAt([6, 18], Date.now(), 6));
  });

  it('a webhook whose hook says when: "next slot" queues each event into the next free slot', async () => {
    await h.ctx.workspaces.updateSettings(h.workspaceId, { slots: 'mon-sun 06:00,18:00', timezone: 'UTC' });
    const { hook, secret } = await h.ctx.hooks.create(h.workspaceId, {
      source: 'generic',
      template: '{{title}}',
      targets: ['bluesky'],
      when: 'next slot',
    });
    const times: string[] = [];
    for (const title of ['Post one', 'Post two']) {
      const body = JSON.stringify({ title });
      const res = await h.request(`/v1/hooks/${hook.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hayon-signature': signHayon(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      expect(res.status).toBe(202);
      times.push((await res.json()).scheduledAt);
    }
    expect(times).toEqual(dailyAt([6, 18], Date.now(), 2));
  });

  it('answers 409 when every slot of the next 8 weeks is taken', async () => {
    await h.ctx.workspaces.updateSettings(h.workspaceId, { slots: 'wed 12:00', timezone: 'UTC' });
    for (let i = 0; i < 8; i++) expect((await post(`week ${i}`)).status).toBe(202);
    const res = await post('one too many');
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error.field).toBe('when');
    expect(body.error.message).toContain('Every slot of the next 8 weeks (wed 12:00, UTC) is taken');
  });
});
