import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { HayonError } from '../../core/errors.js';
import { zodToHayonError } from '../../core/errors.js';
import { formatBytes } from '../../media/media-service.js';
import { extensionFor, type MediaType } from '../../media/media-store.js';
import type { HttpEnv } from '../env.js';
import { readJsonBody } from '../middleware/json-body.js';
import { requireScope } from '../middleware/require-scope.js';

export const uploadRequestSchema = z
  .object({
    /** The file's type; the file itself is checked against it when it arrives and when it is used. */
    type: z.enum(Object.keys(extensionFor) as [MediaType, ...MediaType[]]),
    /** Its size in bytes. */
    size: z.number().int().positive(),
  })
  .strict();

/** The 201 answer of `POST /v1/uploads` (descriptions show in the OpenAPI document). */
export const uploadAnswerSchema = z
  .object({
    id: z.string().describe('The id to name the file by in POST /v1/posts (media: [{ id }]).'),
    upload: z
      .object({
        method: z.literal('PUT'),
        url: z.string(),
        headers: z.record(z.string(), z.string()).describe('Headers the PUT must carry (Content-Type).'),
        expiresAt: z.string().meta({ format: 'date-time' }),
      })
      .describe('Where and how to send the file.'),
    use: z
      .object({ media: z.array(z.object({ id: z.string(), alt: z.string() })) })
      .describe('How a post names this file.'),
  })
  .meta({ id: 'Upload' });

/**
 * `POST /v1/uploads`: where a client PUTs a file (a presigned S3 URL, or hayon's signed disk
 * URL), and the id to name it by in `POST /v1/posts` (`media: [{ id, alt }]`). Uploads that no
 * post uses are removed after 24 hours.
 */
export function uploadsRoutes(ctx: AppContext): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.post('/', requireScope('posts:write'), async (c) => {
    const { workspaceId } = c.get('token');
    const parsed = uploadRequestSchema.safeParse(await readJsonBody(c));
    if (!parsed.success) throw zodToHayonError(parsed.error);
    const { type, size } = parsed.data;
    const max = ctx.config.mediaMaxBytes;
    if (size > max) {
      const message = `size: ${formatBytes(size)} is larger than ${formatBytes(max)}, the most hayon takes.`;
      throw new HayonError('payload_too_large', message, { field: 'size', userMessage: message });
    }
    const { id, upload } = await ctx.media.createUpload(workspaceId, type, size);
    const answer: z.infer<typeof uploadAnswerSchema> = {
      id,
      upload: { ...upload, expiresAt: new Date(upload.expiresAt).toISOString() },
      use: { media: [{ id, alt: '…' }] },
    };
    return c.json(answer, 201);
  });
  return app;
}
