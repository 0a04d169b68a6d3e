import type { TextRules, ValidationIssue } from '../../core/content.js';
import { resolveContent, threadModeFor } from '../../core/content.js';
import { HayonError, PlatformError } from '../../core/errors.js';
import type { Account, PlatformId, Post } from '../../core/post.js';
import { platformNames } from '../../core/platform-names.js';
import { defaultSplitOptions, splitText } from '../../core/thread-split.js';
import type { PostsServiceDeps } from './deps.js';
import { checkContext, lazyDeadline } from './check-context.js';

type PlanDeps = Pick<PostsServiceDeps, 'platforms' | 'openCredentials' | 'validateTimeoutMs'>;

/**
 * Checks the content for each account with its platform's rules, before anything is written.
 * Returns, per account, the parts of a thread when the text is split there (undefined for a
 * single post). The first issue found is a 400 naming the field (`overrides.mastodon.text`).
 */
export async function planContent(deps: PlanDeps, post: Post, accounts: Account[]): Promise<(string[] | undefined)[]> {
  const signal = lazyDeadline(deps.validateTimeoutMs ?? 10_000);
  return Promise.all(
    accounts.map(async (account) => {
      const id = account.platform;
      const platform = deps.platforms[id];
      if (!platform) {
        throw new HayonError('unknown_target', `no adapter for ${id}`, {
          field: 'targets',
          userMessage: `hayon cannot publish to ${id} yet.`,
        });
      }
      const ctx = checkContext(deps, account, signal);
      const content = resolveContent(post, id);
      const fieldOf = (issue: ValidationIssue) => {
        const key = issue.field.startsWith('media') ? 'media' : 'text';
        return post.overrides[id]?.[key] !== undefined ? `overrides.${id}.${issue.field}` : issue.field;
      };
      try {
        const rules = await platform.rules(ctx);
        const parts =
          threadModeFor(post, id) === 'auto' && rules.threads && rules.count(content.text) > rules.maxLength
            ? split(content.text, rules, post, id, fieldOf)
            : undefined;
        // Each part is checked as the post it becomes: media and options ride on the first only.
        const checks = parts
          ? parts.map((text, n) => (n === 0 ? { ...content, text } : { text, media: [] }))
          : [content];
        for (const check of checks) {
          const issue = (await platform.validate(check, ctx))[0];
          if (issue) {
            // Too long where a thread would carry it: the refusal says how to ask for one.
            const threadable = issue.code === 'content_too_long' && rules.threads && !parts;
            throw new HayonError(issue.code, issue.message, {
              field: fieldOf(issue),
              userMessage: issue.message,
              ...(threadable ? { nextStep: { kind: 'thread' as const } } : {}),
            });
          }
        }
        return parts;
      } catch (e) {
        if (!(e instanceof PlatformError)) throw e;
        throw new HayonError('platform_error', `checking content for ${id}: ${e.message}`, {
          cause: e,
          field: 'targets',
          userMessage: `Could not check the post against ${account.platform} (${account.handle}): ${e.message}`,
        });
      }
    }),
  );
}

function split(
  text: string,
  rules: TextRules,
  post: Post,
  id: PlatformId,
  fieldOf: (issue: ValidationIssue) => string,
): string[] {
  const result = splitText(text, rules, { counter: post.content.threadCounter ?? true });
  if (result.ok) return result.parts;
  const field = fieldOf({ field: 'text', code: 'content_too_long', message: '' });
  const message =
    result.reason === 'unbreakable'
      ? `"${result.token.slice(0, 60)}" is longer than one ${platformNames[id]} post (${rules.count(result.token)} of ${rules.maxLength} ${rules.unit}) and cannot be split.`
      : `Too long for a ${platformNames[id]} thread: it would take ${result.parts} posts; the most is ${defaultSplitOptions.maxParts}.`;
  throw new HayonError('content_too_long', message, { field, userMessage: message });
}
