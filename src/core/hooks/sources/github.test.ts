import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signGithub } from '../signature.js';
import { compileTemplate } from '../template.js';
import { githubSource } from './github.js';
import { type HookEvent, HookPayloadError } from './source.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../../test/fixtures/hooks/${name}`, import.meta.url), 'utf8'));
const release = () =>
  fixture('github-release-published.json') as { release: Record<string, unknown> } & Record<string, unknown>;
const request = (headers: Record<string, string>, body = '') => ({
  headers: (name: string) => headers[name.toLowerCase()],
  body: Buffer.from(body),
  nowMs: Date.parse('2026-05-12T10:03:00Z'),
});
const delivery = { 'x-github-event': 'release', 'x-github-delivery': '8f2a6d10-4e0b-11f1-9c2e-0a1b2c3d4e5f' };
const read = (json: unknown, headers: Record<string, string> = delivery) => githubSource.read(request(headers), json);
const post = (json: unknown): Extract<HookEvent, { kind: 'post' }> => {
  const event = read(json);
  if (event.kind !== 'post') throw new Error(`ignored: ${event.reason}`);
  return event;
};
const renderDefault = (fields: Record<string, unknown>) => compileTemplate(githubSource.defaultTemplate).render(fields);
const payloadError = (json: unknown, headers?: Record<string, string>) => {
  try {
    read(json, headers);
  } catch (e) {
    if (e instanceof HookPayloadError) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error('no HookPayloadError');
};

describe('github source', () => {
  it('reads a published release: fields, the delivery id as event id, no media', () => {
    expect(post(release())).toEqual({
      kind: 'post',
      eventId: '8f2a6d10-4e0b-11f1-9c2e-0a1b2c3d4e5f',
      fields: {
        name: 'Rocket 2.1 — Liftoff',
        tag: 'v2.1.0',
        url: 'https://github.com/acme/rocket/releases/tag/v2.1.0',
        excerpt: 'Rocket 2.1 adds resumable uploads and a --dry-run flag; see the upgrade guide.',
        body: release().release.body,
        repo: 'acme/rocket',
        repoName: 'rocket',
        repoUrl: 'https://github.com/acme/rocket',
        author: 'mona-dev',
        prerelease: false,
      },
      media: [],
    });
  });

  it('renders the default template to the announcement', () => {
    expect(renderDefault(post(release()).fields)).toEqual({
      ok: true,
      text:
        'rocket v2.1.0 is out: Rocket 2.1 — Liftoff\n\n' +
        'Rocket 2.1 adds resumable uploads and a --dry-run flag; see the upgrade guide.\n\n' +
        'https://github.com/acme/rocket/releases/tag/v2.1.0',
    });
  });

  it('uses the tag as the name when the release has none, and an empty excerpt without notes', () => {
    const payload = release();
    payload.release = { ...payload.release, name: '', body: null, prerelease: true, author: undefined };
    const { fields } = post(payload);
    expect(fields).toMatchObject({ name: 'v2.1.0', excerpt: '', body: '', prerelease: true, author: 'mona-dev' });
    expect(renderDefault(fields)).toEqual({
      ok: true,
      text: 'rocket v2.1.0 is out: v2.1.0\n\nhttps://github.com/acme/rocket/releases/tag/v2.1.0',
    });
    expect(post({ ...payload, release: { ...payload.release, name: null } }).fields.name).toBe('v2.1.0');
  });

  it('leaves out repository fields GitHub did not send, so a template using them says so', () => {
    const { fields } = post({ ...release(), repository: undefined });
    expect(fields).not.toHaveProperty('repoName');
    expect(renderDefault(fields)).toEqual({ ok: false, missing: 'repoName', reason: 'missing' });
  });

  it("acknowledges GitHub's ping, other release actions and other events without a post", () => {
    expect(read(fixture('github-ping.json'), { 'x-github-event': 'ping' })).toEqual({
      kind: 'ignore',
      reason: "GitHub's ping: the hook is set up.",
    });
    expect(read({ ...release(), action: 'created' })).toEqual({
      kind: 'ignore',
      reason: 'release action "created" is ignored; hayon announces published releases.',
    });
    expect(read({ ...release(), action: undefined })).toMatchObject({ reason: expect.stringContaining('(none)') });
    expect(read({}, { 'x-github-event': 'push' })).toEqual({
      kind: 'ignore',
      reason:
        'GitHub event "push" is ignored; hayon announces published releases (choose only "Releases" in the webhook\'s events).',
    });
  });

  it('refuses a payload without what a release needs, naming the field', () => {
    expect(payloadError({ ...release(), release: undefined })).toMatchObject({ field: 'release.tag_name' });
    const r = release().release;
    expect(payloadError({ ...release(), release: { ...r, tag_name: '' } })).toEqual({
      field: 'release.tag_name',
      message: 'a published release has a tag; this one has none.',
    });
    expect(payloadError({ ...release(), release: { ...r, html_url: 7 } })).toMatchObject({ field: 'release.html_url' });
    expect(payloadError([release()])).toEqual({
      field: 'body',
      message: 'expected a GitHub release event (a JSON object); the body is a list.',
    });
    expect(payloadError(release(), {})).toMatchObject({ field: 'X-GitHub-Event' });
  });

  it('verifies X-Hub-Signature-256 over the raw body', () => {
    const body = JSON.stringify(release());
    const signed = request({ 'x-hub-signature-256': signGithub('hks_k', body) }, body);
    expect(githubSource.verify(signed, ['hks_k'])).toEqual({ ok: true });
    expect(githubSource.verify(signed, ['hks_other'])).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(githubSource.verify(request({}, body), ['hks_k'])).toMatchObject({ reason: 'missing' });
    expect(githubSource.signatureHeader).toBe('X-Hub-Signature-256');
  });
});
