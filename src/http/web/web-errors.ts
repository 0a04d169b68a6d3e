import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HayonError } from '../../core/errors.js';
import { messageFor } from '../../core/next-step.js';
import { page, type Section } from './layout.js';

/** A refusal or a failure as a page (the API answers JSON; a browser gets words and a way back). */
export function problemPage(c: Context, e: unknown, o: { zone: string; section: Section; back?: string }) {
  const err = HayonError.from(e);
  const message = err.isClientError ? messageFor(err, 'web') : 'Something went wrong on our side. It was logged.';
  const body = html`<h1>${err.status === 404 ? 'Not found' : 'That did not work'}</h1>
<div class="problem" role="alert">${message}</div>
<p><a href="${o.back ?? '/app'}">Back</a></p>`;
  return c.html(page({ title: 'Problem', section: o.section, zone: o.zone, body }), err.status as ContentfulStatusCode);
}

/** A refusal as a form shows it: beside `field`, answered with the API's status for it. */
export interface FieldError {
  field: string;
  message: string;
  status: ContentfulStatusCode;
}

/** The refusal's field, sentence and status, for showing beside that field; null for a server fault. */
export function fieldError(e: unknown): FieldError | null {
  const err = HayonError.from(e);
  if (!err.isClientError) return null;
  return { field: err.field ?? 'body', message: messageFor(err, 'web'), status: err.status as ContentfulStatusCode };
}
