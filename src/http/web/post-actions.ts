import { html, raw } from 'hono/html';
import { cancellableStates, editableStates } from '../../core/delivery-state.js';
import type { PostWithDeliveries } from '../../core/post.js';
import { csrfField, type Html } from './layout.js';
import { fingerprint } from './post-status.js';

interface Action {
  name: 'cancel' | 'publish-now' | 'retry' | 'delete';
  label: string;
  /** Why it cannot be done now (the button is disabled and says so). */
  unavailable?: string;
}

/** The API's actions, each available only when the deliveries allow it. */
export function actionsFor(value: PostWithDeliveries, now: number): Action[] {
  const ds = value.deliveries;
  const has = (test: (s: string) => boolean) => ds.some((d) => test(d.state));
  return [
    {
      name: 'publish-now',
      label: 'Post now',
      ...(ds.some((d) => d.state === 'scheduled' && d.dueAt > now)
        ? {}
        : { unavailable: 'Nothing is waiting for a later time.' }),
    },
    {
      name: 'cancel',
      label: 'Cancel',
      ...(has((s) => cancellableStates.includes(s as never)) ? {} : { unavailable: 'Nothing is left to cancel.' }),
    },
    { name: 'retry', label: 'Retry failed', ...(has((s) => s === 'failed') ? {} : { unavailable: 'Nothing failed.' }) },
    {
      name: 'delete',
      label: 'Delete',
      ...(has((s) => s === 'published' || s === 'failed' || cancellableStates.includes(s as never))
        ? {}
        : { unavailable: 'Nothing is left to take down.' }),
    },
  ];
}

/** The buttons, each a form carrying the CSRF token and what the page showed (`version`). */
export function actionForms(value: PostWithDeliveries, now: number, csrf: string): Html {
  const version = fingerprint(value);
  const editable =
    value.deliveries.some((d) => editableStates.includes(d.state)) &&
    value.deliveries.every((d) => editableStates.includes(d.state) || d.state === 'cancelled');
  const buttons = actionsFor(value, now).map(
    (a) => html`<form method="post" action="/app/posts/${value.post.id}/${a.name}">${csrfField(csrf)}
<input type="hidden" name="version" value="${version}">
<button type="submit"${a.name === 'delete' ? raw(' class="danger"') : ''}${a.unavailable ? html` disabled title="${a.unavailable}" aria-describedby="why-${a.name}"` : ''}>${a.label}</button>
${a.unavailable ? html`<span class="skip" id="why-${a.name}">${a.unavailable}</span>` : ''}</form>`,
  );
  const edit = editable
    ? html`<a class="btn" href="/app/posts/${value.post.id}/edit">Edit</a>`
    : html`<button type="button" disabled title="Only a post nothing of which has started can be edited.">Edit</button>`;
  return html`<div class="bar" role="group" aria-label="Actions">${buttons}${edit}</div>`;
}
