import { html, raw } from 'hono/html';
import type { Html } from './layout.js';
import { styles } from './styles.js';

/** How to get a sign-in link: the same words on every page without a session. */
const howToSignIn = html`<p>hayon has no passwords. To sign in, ask for a link that works once, within 15 minutes:</p>
<ul>
<li>on the machine that runs hayon: <code>hayon web login</code> (add <code>--workspace W</code> for another workspace);</li>
<li>in Slack or Discord: <code>/hayon web</code> (hayon answers only you).</li>
</ul>
<p>Open the link in this browser.</p>`;

/** A page without a session: no navigation, one heading, the stylesheet. */
function plainPage(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · hayon</title>
<style>${raw(styles)}</style>
</head>
<body>
<header><span class="brand">hayon</span></header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** `/app/login`: how to sign in. */
export function signInPage(): Html {
  return plainPage('Sign in', howToSignIn);
}

const refusals = {
  expired: ['This sign-in link has expired', 'A link works for 15 minutes after it is handed out.'],
  used: ['This sign-in link was already used', 'A link opens one session, once. Ask for a new one.'],
  unknown: [
    'This sign-in link is not valid',
    'It may be cut short, mistyped, or so old that hayon no longer knows it. Ask for a new one.',
  ],
} as const;

/** An expired, used or unknown link: what happened and how to get a new one. */
export function linkRefusedPage(reason: keyof typeof refusals): Html {
  const [title, why] = refusals[reason];
  return plainPage(title, html`<p class="problem" role="alert">${why}</p>${howToSignIn}`);
}

/** The store did not answer: the link may still work in a minute. */
export function linkUncheckedPage(): Html {
  return plainPage(
    'hayon cannot check this link right now',
    html`<p class="problem" role="alert">Its database is not answering. Try the same link again in a minute; if it has expired by then, ask for a new one.</p>`,
  );
}

/** A POST without the session's CSRF token. */
export function reloadPage(): Html {
  return plainPage(
    'This form is out of date',
    html`<p class="problem" role="alert">The form did not carry this session's security token (CSRF), so nothing was done. Reload the page and try again.</p>
<p><a href="/app">Back to the calendar</a></p>`,
  );
}

/** `GET /app/logout`: one button (the sign out itself is a POST with the CSRF token). */
export function signOutPage(csrfToken: string): Html {
  return plainPage(
    'Sign out',
    html`<p>Signing out ends this browser's session; you will need a new link to come back.</p>
<form method="post" action="/app/logout">
<input type="hidden" name="_csrf" value="${csrfToken}">
<button type="submit" class="primary">Sign out</button> <a class="btn" href="/app">Stay signed in</a>
</form>`,
  );
}

/** After signing out. */
export function signedOutPage(): Html {
  return plainPage('You are signed out', howToSignIn);
}
