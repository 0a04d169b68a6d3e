import type { z } from 'zod';

/**
 * What to put in the request fields people most often get wrong, for the sentence that refuses
 * them: a missing `targets` says what a target is, not zod's "expected array, received undefined".
 */
const fieldHelp: Record<string, string> = {
  targets:
    'the accounts to publish to, as a list: ["bluesky"], ["bluesky", "mastodon:@me@mastodon.social"] or account ids',
  text: 'the text of the post, as a string',
  when: 'a time such as "in 2 hours", "tomorrow 9am" or 2026-12-24T18:00 (leave it out to publish now)',
  timezone: 'an IANA zone such as "Europe/Berlin"',
  media: 'a list of { "url": "https://…", "alt": "…" } or { "id": "<from POST /v1/uploads>", "alt": "…" }',
  thread: '"auto" (split a long text into a thread) or "off"',
  callbackUrl: 'an https:// URL that hayon POSTs the outcome to',
  type: 'the file type: image/jpeg, image/png, image/webp, image/gif or video/mp4',
  size: 'the file size in bytes, a whole number',
  source: 'github, ghost, wordpress or generic',
};

const kinds: Record<string, string> = {
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
};

/** zod's default wording (custom messages, given in a schema, are kept as they are). */
const defaultWording = /^(Invalid input|Invalid option|Too small|Too big|Unrecognized key|Invalid (string|URL|url))/;

/** One sentence naming the field and what to put there, for the first zod issue. */
export function zodIssueSentence(issue: z.core.$ZodIssue, field: string): string {
  if (!defaultWording.test(issue.message)) return `${field}: ${issue.message}`;
  const root = /^[A-Za-z]+/.exec(field)?.[0] ?? field;
  const help = fieldHelp[root];
  const put = help && field === root ? ` Put ${help} there.` : '';
  switch (issue.code) {
    case 'invalid_type': {
      const expected = kinds[issue.expected] ?? issue.expected;
      if (/received undefined$/.test(issue.message)) return `${field} is missing: it takes ${help ?? expected}.`;
      return `${field} must be ${expected}.${put}`;
    }
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'array') return `${field} needs at least ${n} ${n === 1 ? 'item' : 'items'}.${put}`;
      if (issue.origin === 'string')
        return n <= 1 ? `${field} is empty.${put}` : `${field} needs ${n} characters or more.`;
      return `${field} must be ${n} or more.`;
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'array') return `${field} takes at most ${n} items.`;
      if (issue.origin === 'string') return `${field} takes at most ${n} characters.`;
      return `${field} must be ${n} or less.`;
    }
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'unrecognized_keys': {
      const where = field === 'body' ? 'the body' : field;
      return `${where} has ${issue.keys.length === 1 ? 'a field' : 'fields'} hayon does not know: ${issue.keys.join(', ')}. Check the spelling (GET /docs lists the fields).`;
    }
    case 'invalid_format':
      return `${field} must be ${issue.format === 'url' ? 'a URL' : `in ${issue.format} form`}.${put}`;
    default:
      return `${field}: ${issue.message}${put}`;
  }
}
