import { html, raw } from 'hono/html';
import { platformNames } from '../../core/platform-names.js';
import type { Account, PlatformId } from '../../core/post.js';
import { composerScript } from './composer-script.js';
import { csrfField, type Html, page } from './layout.js';

/** Attachment slots on the form (more can be added through the API). */
export const mediaSlots = 4;

/** What the person typed, kept when the form comes back with a refusal. */
export interface ComposerValues {
  text: string;
  targets: string[];
  when: string;
  timezone: string;
  thread: boolean;
  overrides: Partial<Record<PlatformId, string>>;
  /** Per slot: an upload already kept from the last try, and its alt text. */
  media: { uploadId?: string | undefined; alt: string }[];
  /** Makes a second submit of the same form return the first post instead of a copy. */
  nonce: string;
}

export interface ComposerData {
  accounts: Account[];
  values: ComposerValues;
  csrfToken: string;
  zone: string;
  /** The refusal, and the field it names. */
  error?: { field: string; message: string } | undefined;
}

/** The refusal beside the field it names (`targets[1]` belongs to the targets, `overrides.x.text` to x's box). */
function errorFor(d: ComposerData, id: string, fields: (f: string) => boolean): Html {
  if (!d.error || !fields(d.error.field)) return '' as unknown as Html;
  return html`<p class="err" id="${id}" role="alert">${d.error.message}</p>`;
}
const described = (d: ComposerData, id: string, fields: (f: string) => boolean) =>
  d.error && fields(d.error.field) ? raw(` aria-describedby="${id}" aria-invalid="true"`) : '';

const isTargets = (f: string) => f.startsWith('targets');
const isText = (f: string) => f === 'text' || f === 'body';
const isWhen = (f: string) => f === 'when' || f === 'timezone';
const isMedia = (i: number) => (f: string) => f.startsWith(`media[${i}]`);
const isOverride = (p: string) => (f: string) => f.startsWith(`overrides.${p}`);
const placed = (f: string) =>
  isTargets(f) || isText(f) || isWhen(f) || f.startsWith('media[') || f.startsWith('overrides.');

function targetsField(d: ComposerData): Html {
  const checked = new Set(d.values.targets);
  return html`<fieldset${described(d, 'err-targets', isTargets)}><legend>Post to</legend>
${d.accounts.length === 0 ? html`<p>No account is connected yet. <a href="/app/accounts">Connect one</a>.</p>` : ''}
${d.accounts.map((a) => {
  const id = `t-${a.id}`;
  const off = a.health !== 'active';
  return html`<div><input type="checkbox" id="${id}" name="targets" value="${a.id}"${checked.has(a.id) ? raw(' checked') : ''}${off ? raw(' disabled') : ''}>
<label for="${id}" style="display:inline">${platformNames[a.platform]} ${a.handle}</label>
${off ? html` <span class="st st-bad">needs reconnecting</span> <a href="/app/accounts">Reconnect</a>` : ''}</div>`;
})}
${errorFor(d, 'err-targets', isTargets)}</fieldset>`;
}

function mediaFields(d: ComposerData): Html {
  const slots = Array.from({ length: mediaSlots }, (_, i) => {
    const v = d.values.media[i] ?? { alt: '' };
    const n = i + 1;
    return html`<div class="media-slot">
${
  v.uploadId
    ? html`<p>Image or video ${n} is attached (kept from your last try). <input type="hidden" name="upload${n}" value="${v.uploadId}">
<input type="checkbox" id="drop${n}" name="drop${n}" value="1"><label for="drop${n}" style="display:inline">Remove it</label></p>`
    : html`<label for="media${n}">Image or video ${n}</label>
<input type="file" id="media${n}" name="media${n}" accept="image/jpeg,image/png,image/webp,image/gif,video/mp4"${described(d, `err-media${n}`, isMedia(i))}>`
}
<label for="alt${n}">Alt text for ${n} (what it shows, for people who cannot see it)</label>
<input type="text" id="alt${n}" name="alt${n}" value="${v.alt}" maxlength="5000" style="width:100%">
${errorFor(d, `err-media${n}`, isMedia(i))}</div>`;
  });
  return html`<fieldset><legend>Media</legend>${slots}</fieldset>`;
}

function overrideFields(d: ComposerData): Html {
  const platforms = [...new Set(d.accounts.map((a) => a.platform))];
  const open = platforms.some((p) => d.values.overrides[p]) || (d.error?.field.startsWith('overrides.') ?? false);
  return html`<details${open ? raw(' open') : ''}><summary>Different text on one platform</summary>
${platforms.map(
  (p) => html`<label for="ov-${p}">Text on ${platformNames[p]} (empty: the text above)</label>
<textarea id="ov-${p}" name="override.${p}" data-platform="${p}"${described(d, `err-ov-${p}`, isOverride(p))}>${d.values.overrides[p] ?? ''}</textarea>
${errorFor(d, `err-ov-${p}`, isOverride(p))}`,
)}</details>`;
}

/** The composer: targets, text with live counts, media with alt text, overrides, a time in words. */
export function composerPage(d: ComposerData): Html {
  const v = d.values;
  const body = html`<h1>New post</h1>
${d.error && !placed(d.error.field) ? html`<div class="problem" role="alert">${d.error.message}</div>` : ''}
<form method="post" action="/app/compose" enctype="multipart/form-data" id="composer">
${csrfField(d.csrfToken)}<input type="hidden" name="nonce" value="${v.nonce}">
${targetsField(d)}
<label for="text">Text</label>
<textarea id="text" name="text"${described(d, 'err-text', isText)}>${v.text}</textarea>
${errorFor(d, 'err-text', isText)}
<div><input type="checkbox" id="thread" name="thread" value="auto"${v.thread ? raw(' checked') : ''}>
<label for="thread" style="display:inline">Split a long text into a thread</label></div>
<section aria-labelledby="counts-h"><h2 id="counts-h">Length per account</h2>
<ul class="counts" id="counts" aria-live="polite"><li class="muted">Choose accounts to see each count.</li></ul>
<div id="parts"></div></section>
${overrideFields(d)}
${mediaFields(d)}
<label for="when">When (in words: "now", "tomorrow 9am", "in 2 hours", "next slot")</label>
<input type="text" id="when" name="when" value="${v.when}" autocomplete="off"${described(d, 'err-when', isWhen)}>
<button type="button" id="next-slot">Next free slot</button>
<p id="when-echo" aria-live="polite" class="muted"></p>
${errorFor(d, 'err-when', isWhen)}
<label for="timezone">Time zone</label>
<input type="text" id="timezone" name="timezone" value="${v.timezone}">
<p><button type="submit" class="primary">Schedule post</button></p>
</form>`;
  return page({ title: 'New post', section: 'compose', zone: d.zone, body, script: composerScript });
}
