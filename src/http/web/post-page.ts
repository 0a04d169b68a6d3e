import { html } from 'hono/html';
import { resolveContent } from '../../core/content.js';
import { platformNames } from '../../core/platform-names.js';
import type { MediaItem, PostWithDeliveries } from '../../core/post.js';
import { formatInZone } from '../../core/schedule.js';
import type { PostHistory } from '../../services/post-queries.js';
import { type Html, page } from './layout.js';
import { deliveriesFragment } from './post-deliveries.js';

export interface PostPageData {
  history: PostHistory;
  now: number;
  zone: string;
  csrfToken: string;
  /** What the last action did (a sentence), or why it was refused. */
  notice?: string | undefined;
  problem?: string | undefined;
  /** A signed URL to show each stored attachment by, by its key. */
  previews?: Map<string, string>;
}

function mediaList(media: MediaItem[], heading: string, previews: Map<string, string> | undefined): Html {
  if (media.length === 0) return '' as unknown as Html;
  const shown = (m: MediaItem) => {
    const url = m.key ? previews?.get(m.key) : undefined;
    if (!url) return '';
    if (m.mimeType?.startsWith('image/')) {
      // The alt text is the image's text alternative; an image without one is marked decorative here and flagged below.
      return html`<img src="${url}" alt="${m.alt ?? ''}" loading="lazy" style="display:block;max-width:min(100%,320px);height:auto">`;
    }
    return html`<a href="${url}">Open the video</a>`;
  };
  return html`<h3>${heading}</h3><ul>${media.map(
    (
      m,
      i,
    ) => html`<li>${shown(m)}${m.mimeType ?? 'file'} ${m.width ? `${m.width}×${m.height}` : ''} ${m.size !== undefined ? `${Math.round(m.size / 1024)} KiB` : ''}
— alt text: ${m.alt ? html`“${m.alt}”` : html`<span class="err">none</span>`}<span class="skip"> (item ${i + 1})</span></li>`,
  )}</ul>`;
}

/** The text each platform gets: the post's, or its override; a thread part by part. */
function textPerPlatform(value: PostWithDeliveries, previews: Map<string, string> | undefined): Html {
  const seen = new Set<string>();
  const blocks = value.deliveries
    .filter((d) => !seen.has(d.platform) && seen.add(d.platform))
    .map((d) => {
      const content = resolveContent(value.post, d.platform);
      const own = value.post.overrides[d.platform];
      const parts = d.parts ?? [content.text];
      return html`<section><h3>${platformNames[d.platform]}${own?.text !== undefined ? ' (its own text)' : ''}</h3>
${parts.length > 1 ? html`<ol>${parts.map((p) => html`<li><pre class="text">${p}</pre></li>`)}</ol>` : html`<pre class="text">${parts[0] ?? ''}</pre>`}
${own?.media ? mediaList(own.media, `Media on ${platformNames[d.platform]}`, previews) : ''}</section>`;
    });
  return html`${blocks}`;
}

// Fetches the live fragment every 3 s while a delivery is unfinished, swaps it in when it changed,
// and says the new status in a status region (not the whole fragment, which would be read out).
const pollScript = (
  id: string,
) => `(function(){var url='/app/posts/${id}/live';function tick(){var el=document.getElementById('live');
if(!el||el.getAttribute('data-live')!=='yes')return;fetch(url,{credentials:'same-origin'}).then(function(r){return r.ok?r.text():null}).then(function(t){
if(!t)return;var box=document.createElement('div');box.innerHTML=t;var next=box.firstElementChild;
if(next&&next.getAttribute('data-version')!==el.getAttribute('data-version')){el.replaceWith(next);
var st=next.querySelector('#post-status'),note=document.getElementById('live-note');if(st&&note)note.textContent='Updated: '+st.textContent}}).finally(function(){setTimeout(tick,3000)})}
setTimeout(tick,3000)})();`;

/** A post's page: its time, its text per platform, media with alt text, each delivery, the actions. */
export function postPage(d: PostPageData): Html {
  const { value } = d.history;
  const { post } = value;
  const title = `Post ${post.id}`;
  const body = html`<h1>${title}</h1>
${d.notice ? html`<p class="notice" role="status">${d.notice}</p>` : ''}
${d.problem ? html`<div class="problem" role="alert">${d.problem}</div>` : ''}
<p>Scheduled for <strong>${formatInZone(post.scheduledAt, d.zone)}</strong>${d.zone !== post.timezone ? html` <span class="muted">(${formatInZone(post.scheduledAt, post.timezone)} for its author)</span>` : ''}.
From ${post.origin.kind}${post.author.name ? ` by ${post.author.name}` : ''}.</p>
<p role="status" class="skip" id="live-note"></p>
<div>${deliveriesFragment(d.history, d.now, d.zone, d.csrfToken)}</div>
<h2>Text per platform</h2>
${textPerPlatform(value, d.previews)}
${mediaList(post.content.media, 'Media', d.previews)}`;
  return page({ title, section: 'post', zone: d.zone, body, script: pollScript(post.id) });
}
