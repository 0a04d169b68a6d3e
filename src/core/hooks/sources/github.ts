import { markdownExcerpt } from '../plain-text.js';
import { githubSignatureHeader, verifyGithub } from '../signature.js';
import { bodyObject, definedOnly, ignore, isObject, nonEmpty, quote } from './payload.js';
import { type HookEvent, HookPayloadError, type HookRequest, type HookSource } from './source.js';

/**
 * A GitHub repository (or organization) webhook: a post for each published release.
 * Payload: https://docs.github.com/en/webhooks/webhook-events-and-payloads#release
 * `published` is the action for a release made public (drafts send `created` and later
 * `published`), so announcing only it says each release once.
 */

/** How long the `excerpt` of the release notes may be. */
export const githubExcerptLength = 200;

const fields = {
  name: "the release's name, or its tag when it has none",
  tag: 'the tag, like v2.0.0',
  url: "the release's page on GitHub",
  excerpt: `the first paragraph of the release notes as plain text, at most ${githubExcerptLength} characters (empty when there are none)`,
  body: 'the release notes as written (Markdown), empty when there are none',
  repo: 'the repository as owner/name',
  repoName: "the repository's name",
  repoUrl: "the repository's page on GitHub",
  author: 'who published the release (GitHub login)',
  prerelease: 'true for a pre-release, else false',
} as const satisfies Record<string, string>;

export const githubSource: HookSource = {
  id: 'github',
  signatureHeader: githubSignatureHeader,
  verify: (req, secrets) => verifyGithub(req.headers(githubSignatureHeader), req.body, secrets),
  read: readGithub,
  defaultTemplate: '{{repoName}} {{tag}} is out: {{name}}\n\n{{excerpt?}}\n\n{{url}}',
  fields,
};

function readGithub(req: HookRequest, json: unknown): HookEvent {
  const event = req.headers('X-GitHub-Event');
  if (!event) {
    throw new HookPayloadError('X-GitHub-Event', 'is missing; GitHub sends it with every delivery.');
  }
  if (event === 'ping') return ignore("GitHub's ping: the hook is set up.");
  if (event !== 'release') {
    return ignore(
      `GitHub event ${quote(event)} is ignored; hayon announces published releases (choose only "Releases" in the webhook's events).`,
    );
  }
  const payload = bodyObject(json, 'a GitHub release event (a JSON object)');
  if (payload.action !== 'published') {
    const action = typeof payload.action === 'string' ? quote(payload.action) : '(none)';
    return ignore(`release action ${action} is ignored; hayon announces published releases.`);
  }
  const release = payload.release;
  if (!isObject(release)) {
    throw new HookPayloadError('release.tag_name', 'a published release has a tag; this payload has no release.');
  }
  const tag = nonEmpty(release.tag_name);
  if (!tag) throw new HookPayloadError('release.tag_name', 'a published release has a tag; this one has none.');
  const url = nonEmpty(release.html_url);
  if (!url) throw new HookPayloadError('release.html_url', 'a published release has a page; this one has no URL.');
  const body = typeof release.body === 'string' ? release.body : '';
  const repository = isObject(payload.repository) ? payload.repository : {};
  const author = loginOf(release.author) ?? loginOf(payload.sender);
  const out: Record<keyof typeof fields, unknown> = {
    name: nonEmpty(release.name)?.trim() ?? tag,
    tag,
    url,
    excerpt: markdownExcerpt(body, githubExcerptLength),
    body,
    repo: nonEmpty(repository.full_name),
    repoName: nonEmpty(repository.name),
    repoUrl: nonEmpty(repository.html_url),
    author,
    prerelease: release.prerelease === true,
  };
  return { kind: 'post', eventId: req.headers('X-GitHub-Delivery') || undefined, fields: definedOnly(out), media: [] };
}

function loginOf(user: unknown): string | undefined {
  return isObject(user) ? nonEmpty(user.login) : undefined;
}
