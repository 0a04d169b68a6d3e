import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';
import { type Browser, signIn } from './web-helpers.js';

// The accounts page (health, connect and reconnect) and the hooks page (recent events).
describe('web accounts and hooks', () => {
  let h: TestHayon;
  let browser: Browser;

  beforeEach(async () => {
    h = await startHayon({
      platforms: { bluesky: new FakePlatform('bluesky'), mastodon: new FakePlatform('mastodon') },
    });
    browser = await signIn(h);
  });
  afterEach(async () => h.stop());

  it('shows each account with its health, and a reconnect for one that stopped working', async () => {
    const ok = await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    const bad = await h.ctx.accounts.add(h.workspaceId, 'mastodon', {
      identifier: '@bob@example.social',
      appPassword: 'pw',
    });
    await h.ctx.health.stoppedWorking(bad, 'revoked', 'The token was revoked on the server.');
    const page = await (await browser.get('/app/accounts')).text();
    expect(page).toMatch(new RegExp(`data-account="${ok.id}"[\\s\\S]*?<span class="st st-ok">working</span>`));
    expect(page).toMatch(new RegExp(`data-account="${bad.id}"[\\s\\S]*?access revoked: reconnect it`));
    expect(page).toContain('The token was revoked on the server.');
    // Mastodon and Bluesky always have a connect flow.
    expect(page).toContain('Reconnect Mastodon @bob@example.social');
    expect(page).not.toContain('Reconnect Bluesky');
    for (const p of ['mastodon', 'bluesky']) expect(page).toContain(`action="/app/accounts/connect/${p}"`);
  });

  it('sends the browser to a fresh connect link, and names a platform without a flow', async () => {
    const res = await browser.post('/app/accounts/connect/bluesky', {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/\/connect\/bluesky/);
    const refused = await browser.post('/app/accounts/connect/myspace', {});
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('hayon has no connect flow for &quot;myspace&quot;');
  });

  it('shows each hook with the posts its recent events made', async () => {
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    const { hook } = await h.ctx.hooks.create(h.workspaceId, {
      source: 'generic',
      name: 'blog',
      template: '{{title}}',
      targets: ['bluesky'],
    });
    const { hook: quiet } = await h.ctx.hooks.create(h.workspaceId, {
      source: 'generic',
      name: 'ci',
      template: '{{title}}',
      targets: ['bluesky'],
    });
    const made = await h.ctx.posts.create(
      { text: 'New article is up', targets: ['bluesky'], when: 'in 1 hour' },
      { workspaceId: h.workspaceId, origin: { kind: 'webhook', hookId: hook.id } },
    );
    const page = await (await browser.get('/app/hooks')).text();
    const section = (id: string) =>
      new RegExp(`data-hook="${id}"([\\s\\S]*?)</li>\\s*(<li data-hook|</ul>)`).exec(page)?.[1] ?? '';
    expect(section(hook.id)).toContain('blog');
    expect(section(hook.id)).toContain(`data-post="${made.value.post.id}"`);
    expect(section(hook.id)).toContain('New article is up');
    expect(section(quiet.id)).toContain('No event has made a post recently.');
  });
});
