import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import type { AppContext } from '../../app/app-context.js';
import type { PostWithDeliveries } from '../../core/post.js';
import { wallClockAt } from '../../core/time-zone.js';
import { csrfField, page } from './layout.js';
import { fingerprint } from './post-status.js';
import { whatChanged } from './stale-check.js';
import { type WebContext, viewer } from './web-context.js';
import { fieldError, problemPage } from './web-errors.js';
import type { WebEnv } from './web-session.js';

interface EditValues {
  text: string;
  when: string;
  timezone: string;
  version: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** `2026-12-24 18:00`: the post's time as its author's zone shows it, which `parseWhen` reads back. */
function wallTime(at: number, zone: string): string {
  const w = wallClockAt(at, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

function valuesOf(value: PostWithDeliveries): EditValues {
  const { post } = value;
  return {
    text: post.content.text,
    when: wallTime(post.scheduledAt, post.timezone),
    timezone: post.timezone,
    version: fingerprint(value),
  };
}

/** `/app/posts/:id/edit`: the text and the time of a post nothing of which has started, through `posts.edit`. */
export function editRoutes(ctx: AppContext): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  const render = async (
    c: WebContext,
    id: string,
    v: EditValues,
    error?: { field: string; message: string },
    status = 200,
  ) => {
    const { session, zone } = await viewer(ctx, c);
    const err = (fields: string[], elId: string) =>
      error && fields.includes(error.field) ? html`<p class="err" id="${elId}" role="alert">${error.message}</p>` : '';
    const inv = (fields: string[], elId: string) =>
      error && fields.includes(error.field) ? raw(` aria-invalid="true" aria-describedby="${elId}"`) : '';
    const other = error && !['text', 'when', 'timezone'].includes(error.field);
    const body = html`<h1>Edit post ${id}</h1>
${other ? html`<div class="problem" role="alert">${error?.message}</div>` : ''}
<form method="post" action="/app/posts/${id}/edit">${csrfField(session.csrfToken)}
<input type="hidden" name="version" value="${v.version}">
<label for="text">Text</label><textarea id="text" name="text"${inv(['text'], 'err-text')}>${v.text}</textarea>${err(['text'], 'err-text')}
<label for="when">When</label><input id="when" name="when" type="text" value="${v.when}"${inv(['when'], 'err-when')}>${err(['when'], 'err-when')}
<label for="timezone">Time zone</label><input id="timezone" name="timezone" type="text" value="${v.timezone}"${inv(['timezone'], 'err-tz')}>${err(['timezone'], 'err-tz')}
<p><button type="submit" class="primary">Save</button> <a href="/app/posts/${id}">Back to the post</a></p></form>`;
    return c.html(page({ title: `Edit ${id}`, section: 'post', zone, body }), status as 200);
  };

  app.get('/:id/edit', async (c) => {
    const { session, zone } = await viewer(ctx, c);
    const id = c.req.param('id');
    try {
      return await render(c, id, valuesOf(await ctx.posts.get(session.workspaceId, id)));
    } catch (e) {
      return problemPage(c, e, { zone, section: 'post' });
    }
  });

  app.post('/:id/edit', async (c) => {
    const { session, zone } = await viewer(ctx, c);
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
    const sent: EditValues = {
      text: str('text'),
      when: str('when'),
      timezone: str('timezone'),
      version: str('version'),
    };
    let current: PostWithDeliveries;
    try {
      current = await ctx.posts.get(session.workspaceId, id);
    } catch (e) {
      return problemPage(c, e, { zone, section: 'post' });
    }
    const accounts = await ctx.accounts.list(session.workspaceId);
    const changed = whatChanged(sent.version, current, new Map(accounts.map((a) => [a.id, a.handle])));
    if (changed.length > 0) {
      const message = `This post changed since the form was drawn, so nothing was saved: ${changed.join(' ')} Your text is below; check the post and save again.`;
      return render(c, id, { ...sent, version: fingerprint(current) }, { field: 'body', message }, 409);
    }
    const was = valuesOf(current);
    const patch: Record<string, string> = {};
    if (sent.text !== was.text) patch.text = sent.text;
    if (sent.when !== was.when || sent.timezone !== was.timezone) {
      patch.when = sent.when;
      patch.timezone = sent.timezone;
    }
    if (Object.keys(patch).length > 0) {
      try {
        await ctx.posts.edit(session.workspaceId, id, patch, session.actor);
      } catch (e) {
        const error = fieldError(e);
        if (!error) throw e;
        return render(c, id, sent, error, error.status);
      }
    }
    return c.redirect(`/app/posts/${id}`, 303);
  });

  return app;
}
