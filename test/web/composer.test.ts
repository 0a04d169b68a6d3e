import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { solidPng } from '../fakes/images.js';
import { startHayon, type TestHayon } from '../harness.js';
import { type Browser, signIn } from './web-helpers.js';

// The composer: its live preview (the same checks as the API) and its submit through posts.create.
describe('web composer', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let browser: Browser;
  let accounts: { bluesky: string; mastodon: string };

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 30 });
    h = await startHayon({ platforms: { bluesky, mastodon: new FakePlatform('mastodon', { maxLength: 500 }) } });
    const b = await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    const m = await h.ctx.accounts.add(h.workspaceId, 'mastodon', {
      identifier: '@alice@example.social',
      appPassword: 'pw',
    });
    accounts = { bluesky: b.id, mastodon: m.id };
    browser = await signIn(h);
  });
  afterEach(async () => h.stop());

  const preview = async (draft: Record<string, unknown>) => {
    const res = await browser.postJson('/app/compose/preview', draft);
    expect(res.status).toBe(200);
    return res.json();
  };

  it('renders the form with a label for every control', async () => {
    const page = await (await browser.get('/app/compose')).text();
    expect(page).toContain('Bluesky alice.test');
    for (const m of page.matchAll(/<(?:input|textarea|select)([^>]*)>/g)) {
      const attrs = m[1] ?? '';
      if (/type="hidden"/.test(attrs)) continue;
      const id = /id="([^"]+)"/.exec(attrs)?.[1];
      expect(id, attrs).toBeTruthy();
      expect(page, `label for ${id}`).toContain(`for="${id}"`);
    }
  });

  it('counts the text per target as the platform does, and splits a thread part by part', async () => {
    const text = 'One two three four five six seven eight nine ten';
    const r = await preview({ text, targets: [accounts.bluesky, accounts.mastodon] });
    const byPlatform = Object.fromEntries(r.targets.map((t: { platform: string }) => [t.platform, t]));
    expect(byPlatform.bluesky).toMatchObject({ count: [...text].length, max: 30, handle: 'alice.test' });
    expect(byPlatform.mastodon).toMatchObject({ count: [...text].length, max: 500 });
    expect(r.issues[0].field).toBe('text');
    expect(r.issues[0].message).toMatch(/Too long for bluesky/);
    const thread = await preview({ text, targets: [accounts.bluesky], thread: 'auto' });
    expect(thread.issues).toEqual([]);
    expect(thread.targets[0].parts.length).toBeGreaterThan(1);
    expect(thread.targets[0].parts.join(' ')).toContain('seven');
    const own = await preview({
      text: 'short',
      targets: [accounts.bluesky],
      overrides: { bluesky: { text: 'much longer text for bluesky only, over thirty' } },
    });
    expect(own.issues[0].field).toBe('overrides.bluesky.text');
  });

  it('echoes the time the words mean, and names the field of a time it cannot read', async () => {
    const r = await preview({
      text: 'x',
      targets: [accounts.bluesky],
      when: '2027-01-15 09:30',
      timezone: 'Asia/Tokyo',
    });
    expect(r.schedule.local).toBe('2027-01-15 09:30 JST (Asia/Tokyo)');
    expect(r.schedule.at).toBe('2027-01-15T00:30:00.000Z');
    const bad = await preview({ text: 'x', targets: [accounts.bluesky], when: 'whenever you like' });
    expect(bad.issues.find((i: { field: string }) => i.field === 'when')).toBeTruthy();
    const noSlots = await preview({ text: 'x', targets: [accounts.bluesky], when: 'next slot' });
    expect(noSlots.issues.find((i: { field: string }) => i.field === 'when').message).toMatch(/has none yet/);
    await h.ctx.workspaces.updateSettings(h.workspaceId, { slots: 'mon-sun 06:15', timezone: 'Asia/Tokyo' });
    const slot = await preview({ text: 'x', targets: [accounts.bluesky], when: 'next slot' });
    expect(slot.schedule.local).toMatch(/ 06:15 JST \(Asia\/Tokyo\)$/);
    const none = await preview({ text: 'x', targets: [] });
    expect(none.issues).toEqual([{ field: 'targets', message: 'Choose at least one account to post to.' }]);
  });

  it('posts through the same service, with origin web, media and alt text', async () => {
    const form = new FormData();
    form.append('text', 'From the web');
    form.append('targets', accounts.mastodon);
    form.append('when', 'in 3 hours');
    form.append('timezone', 'Europe/Berlin');
    form.append('nonce', 'n1');
    form.append('media1', new Blob([await solidPng(40, 30)], { type: 'image/png' }), 'dot.png');
    form.append('alt1', 'A small grey square');
    const res = await browser.postMultipart('/app/compose', form);
    expect(res.status).toBe(303);
    const id = res.headers.get('location')?.split('/').pop() ?? '';
    const post = await (await h.api('GET', `/v1/posts/${id}`)).json();
    expect(post).toMatchObject({ text: 'From the web', status: 'SCHEDULED', timezone: 'Europe/Berlin' });
    expect(post.media).toEqual([expect.objectContaining({ type: 'image/png', alt: 'A small grey square' })]);
    const stored = await h.ctx.posts.get(h.workspaceId, id);
    expect(stored.post.origin).toEqual({ kind: 'web' });
    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 5 });
    expect(audit.find((e) => e.action === 'post.created')?.actor).toMatchObject({ kind: 'web', id: 'u1' });
    const page = await (await browser.get(`/app/posts/${id}`)).text();
    const img = /<img src="([^"]+)" alt="A small grey square"/.exec(page);
    expect(img).toBeTruthy();
    // The image itself is served at its signed URL.
    const src = new URL((img?.[1] ?? '').replaceAll('&amp;', '&'));
    const shown = await h.request(src.pathname + src.search);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/png');
  });

  it('makes one post of a form sent twice (a double click)', async () => {
    const form = () => {
      const f = new FormData();
      for (const [k, v] of [
        ['text', 'Once'],
        ['targets', accounts.mastodon],
        ['when', 'in 3 hours'],
        ['nonce', 'same'],
      ]) {
        f.append(k as string, v as string);
      }
      return f;
    };
    const first = await browser.postMultipart('/app/compose', form());
    const second = await browser.postMultipart('/app/compose', form());
    expect(first.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await h.ctx.posts.list(h.workspaceId, { limit: 10 })).toHaveLength(1);
  });

  it('shows a refusal beside the field it names, keeps what was typed, and stores nothing', async () => {
    const form = new FormData();
    form.append('text', 'This text is far too long for the thirty characters of this Bluesky');
    form.append('targets', accounts.bluesky);
    form.append('nonce', 'n3');
    const res = await browser.postMultipart('/app/compose', form);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toMatch(
      /<textarea id="text" name="text" aria-describedby="err-text" aria-invalid="true">This text is far too long/,
    );
    expect(page).toMatch(/<p class="err" id="err-text" role="alert">Too long for bluesky[^<]*Shorten it, or tick/);
    const when = new FormData();
    when.append('text', 'fine');
    when.append('targets', accounts.bluesky);
    when.append('when', 'yesterday 9am');
    when.append('nonce', 'n4');
    const refused = await (await browser.postMultipart('/app/compose', when)).text();
    expect(refused).toMatch(/<p class="err" id="err-when" role="alert">[^<]*in the past/);
    const own = new FormData();
    own.append('text', 'short');
    own.append('targets', accounts.bluesky);
    own.append('override.bluesky', 'This Bluesky text is longer than its thirty characters');
    own.append('nonce', 'n6');
    const ownPage = await (await browser.postMultipart('/app/compose', own)).text();
    expect(ownPage).toMatch(/<details open>/);
    expect(ownPage).toMatch(
      /<textarea id="ov-bluesky" name="override.bluesky" data-platform="bluesky" aria-describedby="err-ov-bluesky" aria-invalid="true">This Bluesky text/,
    );
    expect(ownPage).toMatch(/<p class="err" id="err-ov-bluesky" role="alert">Too long for bluesky/);
    const file = new FormData();
    file.append('text', 'with a file');
    file.append('targets', accounts.mastodon);
    file.append('nonce', 'n5');
    file.append('media2', new Blob(['not an image at all'], { type: 'image/png' }), 'fake.png');
    const wrong = await browser.postMultipart('/app/compose', file);
    expect(wrong.status).toBe(415);
    expect(await wrong.text()).toMatch(
      /<p class="err" id="err-media2" role="alert">media\[1\]: the file is not a JPEG/,
    );
    expect(await h.ctx.posts.list(h.workspaceId, { limit: 10 })).toEqual([]);
  });
});
