import { z } from 'zod';
import type { Platform, PlatformDeps, ResolvedContent, TextRules, ValidationIssue } from '../platform.js';
import { type ContainerOptions, createContainerFlow, isVideo } from '../meta/containers.js';
import { parseWith } from '../meta/credentials.js';
import { createGraphClient } from '../meta/graph.js';

/**
 * An Instagram professional (business or creator) account: its Instagram user id and a token
 * with `instagram_content_publish` (a Facebook page token, or an Instagram Login token with the
 * graph.instagram.com `apiUrl`).
 *
 * @example { "igUserId": "1784…", "accessToken": "EAA…" }
 */
const credentialsSchema = z.object({
  igUserId: z.string().min(1),
  accessToken: z.string().min(1),
  apiUrl: z.string().url().optional(),
});

// Meta documents no alt text limit for the API; none is enforced here.
export const instagramLimits = { caption: 2200, carousel: 10 } as const;

const rules: TextRules = {
  maxLength: instagramLimits.caption,
  unit: 'characters',
  count: (t) => [...t].length,
  threads: false,
};

/**
 * The Instagram adapter (Graph API, plain fetch): an image, a video (as a reel) or a carousel of
 * up to 10 through containers, alt text on images, the publishing limit read from the account
 * (`content_publishing_limit`) rather than assumed. Media must be at a public URL; the media
 * layer serves signed ones. See meta/containers.ts.
 */
export function createInstagramPlatform(deps: PlatformDeps, options: Partial<ContainerOptions> = {}): Platform {
  const open = (raw: Record<string, unknown>) => {
    const creds = parseWith(credentialsSchema, raw, 'instagram', 'Instagram');
    const graph = createGraphClient(deps, 'instagram', creds.apiUrl ?? 'https://graph.facebook.com/v21.0');
    const flow = createContainerFlow(
      deps,
      graph,
      {
        platform: 'instagram',
        createPath: 'media',
        publishPath: 'media_publish',
        quotaPath: 'content_publishing_limit',
        statusField: 'status_code',
        textField: 'caption',
        itemParams: (item, inCarousel) => ({
          ...(isVideo(item)
            ? { media_type: inCarousel ? 'VIDEO' : 'REELS', video_url: item.url }
            : { image_url: item.url, ...(item.alt ? { alt_text: item.alt } : {}) }),
          ...(inCarousel ? { is_carousel_item: 'true' } : {}),
        }),
      },
      options,
    );
    return { creds, graph, flow, account: { userId: creds.igUserId, token: creds.accessToken } };
  };

  return {
    id: 'instagram',
    rules: async () => rules,
    validate: async (content) => validateContent(content),

    async verify(credentials, signal) {
      const { creds, graph } = open(credentials);
      const me = await graph.get<{ id: string; username: string }>(
        `/${creds.igUserId}`,
        { fields: 'id,username' },
        creds.accessToken,
        signal,
      );
      return { handle: me.username, remoteId: me.id, credentials };
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
  if (media.length === 0) {
    issues.push({ field: 'media', code: 'invalid_request', message: 'An Instagram post needs an image or a video.' });
  }
  const length = rules.count(text);
  if (length > instagramLimits.caption) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Instagram by ${length - instagramLimits.caption} characters (${length} of ${instagramLimits.caption}).`,
    });
  }
  if (media.length > instagramLimits.carousel) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Instagram takes at most ${instagramLimits.carousel} items per carousel (${media.length} given).`,
    });
  }
  return issues;
}
