import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { styles } from './styles.js';
import { zoneCookie } from './viewer-zone.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export type Section = 'calendar' | 'list' | 'compose' | 'accounts' | 'hooks' | 'post';

const links: [Section, string, string][] = [
  ['calendar', '/app', 'Calendar'],
  ['list', '/app/posts', 'Posts'],
  ['compose', '/app/compose', 'New post'],
  ['accounts', '/app/accounts', 'Accounts'],
  ['hooks', '/app/hooks', 'Hooks'],
];

// Tells the server the browser's zone (a cookie read by viewerZone), and reloads once when the
// page was drawn in another zone, so times are the viewer's from the first visit on.
const zoneScript = `(function(){try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(!z)return;
var had=document.cookie.indexOf('${zoneCookie}=')>=0;document.cookie='${zoneCookie}='+encodeURIComponent(z)+';path=/app;max-age=31536000;samesite=lax';
var shown=document.documentElement.getAttribute('data-tz');if(!had&&shown!==z&&location.search.indexOf('tz=')<0)location.reload();}catch(e){}})();`;

export interface PageOptions {
  title: string;
  section: Section;
  /** The zone the page's times are written in. */
  zone: string;
  body: Html;
  /** A script of this page (served inline, no bundle). */
  script?: string;
}

/** The page shell: a skip link, the navigation, the one stylesheet. */
export function page(o: PageOptions): Html {
  const nav = links.map(
    ([id, href, text]) => html`<a href="${href}"${o.section === id ? raw(' aria-current="page"') : ''}>${text}</a>`,
  );
  return html`<!doctype html>
<html lang="en" data-tz="${o.zone}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · hayon</title>
<style>${raw(styles)}</style>
<script>${raw(zoneScript)}</script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><span class="brand">hayon</span><nav aria-label="Main">${nav}</nav>
<span class="muted">Times in ${o.zone}</span> <a href="/app/logout">Sign out</a></header>
<main id="main">
${o.body}
</main>
${o.script ? html`<script>${raw(o.script)}</script>` : ''}
</body>
</html>`;
}

/** The hidden field every form carries. */
export const csrfField = (token: string): Html => html`<input type="hidden" name="_csrf" value="${token}">`;
