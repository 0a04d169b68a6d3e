import { z } from 'zod';
import type { Platform, PlatformDeps, ResolvedContent, TextRules, ValidationIssue } from '../platform.js';
import { type ContainerOptions, createContainerFlow, isVideo } from '../meta/containers.js';
import { parseWith } from '../meta/credentials.js';
import { createGraphClient } from '../meta/graph.js';

/**
 * A Threads account: its Threads user id and a long-lived access token (`threads_basic`,
 * `threads_content_publish`). `apiUrl` is for tests.
 *
 * @example { "userId": "1789…", "accessToken": "THQ…" }
 */
const credentialsSchema = z.object({
  userId: z.string().min(1),
  accessToken: z.string().min(1),
  apiUrl: z.string().url().optional(),
});

export const threadsLimits = { text: 500, carousel: 20 } as const;

const rules: TextRules = {
  maxLength: threadsLimits.text,
  unit: 'characters',
  count: (t) => [...t].length,
  threads: true,
};

/**
 * The Threads adapter (Graph API at graph.threads.net, plain fetch): text, image, video and
 * carousel posts through containers, replies for threads, the publishing quota checked before
 * each publish (a full quota reschedules instead of failing). See meta/containers.ts.
 */
export function createThreadsPlatform(deps: PlatformDeps, options: Partial<ContainerOptions> = {}): Platform {
  const open = (raw: Record<string, unknown>) => {
    const creds = parseWith(credentialsSchema, raw, 'threads', 'Threads');
    const graph = createGraphClient(deps, 'threads', creds.apiUrl ?? 'https://graph.threads.net/v1.0');
    const flow = createContainerFlow(
      deps,
      graph,
      {
        platform: 'threads',
        createPath: 'threads',
        publishPath: 'threads_publish',
        quotaPath: 'threads_publishing_limit',
        statusField: 'status',
        textField: 'text',
        textOnlyParams: { media_type: 'TEXT' },
        itemParams: (item, inCarousel) => ({
          ...(isVideo(item)
            ? { media_type: 'VIDEO', video_url: item.url }
            : { media_type: 'IMAGE', image_url: item.url }),
          ...(item.alt ? { alt_text: item.alt } : {}),
          ...(inCarousel ? { is_carousel_item: 'true' } : {}),
        }),
        replyParams: (parentId) => ({ reply_to_id: parentId }),
      },
      options,
    );
    return { creds, graph, flow, account: { userId: creds.userId, token: creds.accessToken } };
  };

  return {
    id: 'threads',
    rules: async () => rules,
    validate: async (content) => validateContent(content),

    async verify(credentials, signal) {
      const { creds, graph } = open(credentials);
      const me = await graph.get<{ id: string; username: string }>(
        '/me',
        { fields: 'id,username' },
        creds.accessToken,
        signal,
      );
      return { handle: me.username, remoteId: me.id, credentials: { ...credentials, userId: me.id } };
    },

    publish: async (input) => {
      const { flow, account } = open(input.credentials);
      return flow.publish(input, account);
    },
    reconcile: async (input) => {
      const { flow, account } = open(input.credentials);
      return flow.reconcile(input, account);
    },
  };
}

export function validateContent(content: ResolvedContent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  if (text.trim() === '' && media.length === 0) {
    issues.push({ field: 'text', code: 'invalid_request', message: 'A Threads post needs text or media.' });
  }
  const length = rules.count(text);
  if (length > threadsLimits.text) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Threads by ${length - threadsLimits.text} characters (${length} of ${threadsLimits.text}).`,
    });
  }
  if (media.length > threadsLimits.carousel) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Threads takes at most ${threadsLimits.carousel} images or videos per post (${media.length} given).`,
    });
  }
  return issues;
}
