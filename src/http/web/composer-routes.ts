import { Hono } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { HayonError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import { readJsonBody } from '../middleware/json-body.js';
import { composerPage, type ComposerValues } from './composer-page.js';
import { emptyValues, readComposerForm, toPostRequest } from './composer-form.js';
import { type WebContext, viewer } from './web-context.js';
import { type FieldError, fieldError } from './web-errors.js';
import type { WebEnv, WebSession } from './web-session.js';

/** `/app/compose`: the form, its live preview, and the submit (through `posts.create`, origin `web`). */
export function composerRoutes(ctx: AppContext): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  const render = async (c: WebContext, values: ComposerValues | undefined, error?: FieldError) => {
    const { session, zone } = await viewer(ctx, c);
    const accounts = await ctx.accounts.list(session.workspaceId);
    const page = composerPage({
      accounts,
      values: values ?? emptyValues(zone),
      csrfToken: session.csrfToken,
      zone,
      error,
    });
    return c.html(page, error?.status ?? 200);
  };

  app.get('/', (c) => render(c, undefined));

  // The same checks as the API on a draft: counts per target, thread parts, the resolved time.
  app.post('/preview', async (c) => {
    const { session, zone } = await viewer(ctx, c);
    const body = await readJsonBody(c);
    const draft = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const preview = await ctx.posts.preview(draft, { workspaceId: session.workspaceId, defaultTimezone: zone });
    return c.json({
      ...(preview.schedule
        ? { schedule: { at: new Date(preview.schedule.at).toISOString(), local: preview.schedule.local } }
        : {}),
      targets: preview.targets.map((t) => ({ ...t, name: platformNames[t.platform] })),
      issues: preview.issues,
    });
  });

  app.post('/', async (c) => {
    const { session, zone } = await viewer(ctx, c);
    const { values, files } = readComposerForm(await c.req.parseBody({ all: true }), zone);
    let uploads: (string | undefined)[];
    try {
      uploads = await stageFiles(ctx, session, values, files);
    } catch (e) {
      const error = fieldError(e);
      if (!error) throw e;
      return render(c, values, error);
    }
    try {
      const outcome = await ctx.posts.create(toPostRequest(values, uploads), {
        workspaceId: session.workspaceId,
        origin: { kind: 'web' },
        author: {
          ...(session.actor.id ? { id: session.actor.id } : {}),
          ...(session.actor.name ? { name: session.actor.name } : {}),
        },
        idempotencyKey: `web:${values.nonce}`,
        defaultTimezone: zone,
      });
      return c.redirect(`/app/posts/${outcome.value.post.id}`, 303);
    } catch (e) {
      const error = fieldError(e);
      if (!error) throw e;
      // The files are kept as uploads (removed after a day if never used), so a fix does not re-send them.
      const kept = values.media.map((m, i) => ({ ...m, uploadId: uploads[i] }));
      return render(c, { ...values, media: kept }, { ...error, field: slotField(error.field, uploads) });
    }
  });

  return app;
}

/** Each slot's new file into the media store as an upload (checked by its content); kept ids pass through. */
async function stageFiles(
  ctx: AppContext,
  session: WebSession,
  values: ComposerValues,
  files: (File | undefined)[],
): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (const [i, file] of files.entries()) {
    // Named by the form's slot, so the refusal shows beside that slot.
    const field = `media[${i}]`;
    if (file) out.push(await ctx.media.stageFile(session.workspaceId, Buffer.from(await file.arrayBuffer()), field));
    else out.push(values.media[i]?.uploadId);
  }
  if (out.some((id) => id && !/^[0-9a-f-]{36}\.\w+$/.test(id))) {
    throw new HayonError('invalid_request', 'bad upload id', {
      field: 'media',
      userMessage: 'An attachment kept from the last try is not valid; choose the file again.',
    });
  }
  return out;
}

/** `media[1]` of the request is the second slot that has a file; the form names slots. */
function slotField(field: string, uploads: (string | undefined)[]): string {
  const m = /^media\[(\d+)\](.*)$/.exec(field);
  if (!m) return field;
  const slots = uploads.flatMap((id, i) => (id ? [i] : []));
  return `media[${slots[Number(m[1])] ?? Number(m[1])}]${m[2] ?? ''}`;
}
