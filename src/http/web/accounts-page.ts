import { html } from 'hono/html';
import { platformNames } from '../../core/platform-names.js';
import type { Account, AccountHealth, PlatformId } from '../../core/post.js';
import { formatInZone } from '../../core/schedule.js';
import { csrfField, type Html, page } from './layout.js';

const health: Record<AccountHealth, { text: string; css: string }> = {
  active: { text: 'working', css: 'st-ok' },
  expired: { text: 'expired: reconnect it', css: 'st-bad' },
  revoked: { text: 'access revoked: reconnect it', css: 'st-bad' },
  error: { text: 'not working: reconnect it', css: 'st-bad' },
};

export interface AccountsData {
  accounts: Account[];
  /** Platforms with a connect flow in this server. */
  connectable: PlatformId[];
  csrfToken: string;
  zone: string;
  problem?: string | undefined;
}

function connectForm(platform: PlatformId, label: string, csrf: string): Html {
  const instance =
    platform === 'mastodon'
      ? html`<label for="inst-${label}">Mastodon server (like mastodon.social)</label><input id="inst-${label}" name="instance" type="text">`
      : '';
  return html`<form method="post" action="/app/accounts/connect/${platform}">${csrfField(csrf)}${instance}
<button type="submit">${label}</button></form>`;
}

/** Each connected account with its health, a reconnect for those that stopped, and connect links. */
export function accountsPage(d: AccountsData): Html {
  const rows = d.accounts.map((a) => {
    const h = health[a.health];
    const canConnect = d.connectable.includes(a.platform);
    return html`<li data-account="${a.id}"><strong>${platformNames[a.platform]}</strong> ${a.handle}
<span class="st ${h.css}">${h.text}</span>
${a.healthReason && a.health !== 'active' ? html`<p class="err">${a.healthReason}</p>` : ''}
<p class="muted">Connected ${formatInZone(a.createdAt, d.zone)}; id ${a.id}</p>
${a.health !== 'active' && canConnect ? connectForm(a.platform, `Reconnect ${platformNames[a.platform]} ${a.handle}`, d.csrfToken) : ''}
${a.health !== 'active' && !canConnect ? html`<p>Reconnect it with <code>hayon accounts add ${a.platform}</code>.</p>` : ''}</li>`;
  });
  const body = html`<h1>Accounts</h1>
${d.problem ? html`<div class="problem" role="alert">${d.problem}</div>` : ''}
${d.accounts.length === 0 ? html`<p>No account is connected yet.</p>` : html`<ul class="cards">${rows}</ul>`}
<h2>Connect an account</h2>
${d.connectable.length === 0 ? html`<p>This server has no connect flows set up; use <code>hayon accounts add</code>.</p>` : ''}
<div class="bar">${d.connectable.map((p) => connectForm(p, `Connect ${platformNames[p]}`, d.csrfToken))}</div>`;
  return page({ title: 'Accounts', section: 'accounts', zone: d.zone, body });
}
