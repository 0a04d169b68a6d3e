import { html } from 'hono/html';
import { isTerminal } from '../../core/delivery-state.js';
import type { AttemptRecord } from '../../core/history.js';
import { platformNames } from '../../core/platform-names.js';
import type { PostHistory } from '../../services/post-queries.js';
import { formatInZone } from '../../core/schedule.js';
import type { Html } from './layout.js';
import { actionForms } from './post-actions.js';
import { deliveryStateLabel, fingerprint, postStatusLabel, statusOf } from './post-status.js';

const when = (at: number | undefined, zone: string) => (at === undefined ? '' : formatInZone(at, zone));

function attemptsTable(records: AttemptRecord[], zone: string): Html {
  if (records.length === 0) return html`<p class="muted">No attempts yet.</p>`;
  return html`<table><caption class="skip">Attempts</caption><thead><tr><th scope="col">#</th><th scope="col">Started</th><th scope="col">Took</th><th scope="col">Outcome</th><th scope="col">Detail</th></tr></thead><tbody>${records.map(
    (
      r,
    ) => html`<tr><td>${r.attempt}</td><td>${when(r.startedAt, zone)}</td><td>${Math.max(0, r.endedAt - r.startedAt)} ms</td><td>${r.outcome}</td>
<td>${r.url ? html`<a href="${r.url}">${r.url}</a>` : ''}${r.error ? html`${r.error.kind}: ${r.error.message}` : ''}${r.nextAttemptAt ? html` (next try ${when(r.nextAttemptAt, zone)})` : ''}</td></tr>`,
  )}</tbody></table>`;
}

/**
 * The live part of a post's page: its status, the buttons that apply now, and each delivery's
 * state, attempts, link, last error and history. The page fetches it again every few seconds while anything is unfinished.
 */
export function deliveriesFragment(h: PostHistory, now: number, zone: string, csrfToken: string): Html {
  const { value, attempts, accounts } = h;
  const status = postStatusLabel(statusOf(value, now));
  const handles = new Map(accounts.map((a) => [a.id, a.handle]));
  const live = value.deliveries.some((d) => !isTerminal(d.state));
  const items = value.deliveries.map((d) => {
    const state = deliveryStateLabel(d.state);
    const own = attempts.filter((a) => a.deliveryId === d.id);
    const chain = d.chain ?? [];
    const thread = d.parts
      ? html`<p>Thread of ${d.parts.length} parts, ${chain.length} published${chain.length ? ':' : '.'}</p>
${chain.length ? html`<ol>${chain.map((r) => html`<li><a href="${r.url}">${r.url}</a></li>`)}</ol>` : ''}`
      : '';
    return html`<li data-delivery="${d.id}"><h3>${platformNames[d.platform]} ${handles.get(d.accountId) ?? '(account removed)'}
<span class="st ${state.css}">${state.text}</span></h3>
<p>Attempts: ${d.attempts}. ${d.state === 'scheduled' || d.state === 'queued' ? html`Due ${when(d.dueAt, zone)}.` : ''}
${d.publishedAt !== undefined ? html`Published ${when(d.publishedAt, zone)}.` : ''}</p>
${d.result ? html`<p>Link: <a href="${d.result.url}">${d.result.url}</a></p>` : ''}
${thread}
${d.lastError ? html`<p class="err">Last error (${d.lastError.kind}): ${d.lastError.message}</p>` : ''}
<details><summary>History (${own.length} ${own.length === 1 ? 'attempt' : 'attempts'})</summary>${attemptsTable(own, zone)}</details></li>`;
  });
  return html`<div id="live" data-version="${fingerprint(value)}" data-live="${live ? 'yes' : 'no'}">
<p>Status: <span class="st ${status.css}" id="post-status">${status.text}</span></p>
${actionForms(value, now, csrfToken)}
<h2>Deliveries</h2>
<ul class="cards">${items}</ul></div>`;
}
