import { postViewSchema } from '../../core/post-view.js';
import { maxJsonBodyBytes } from '../limits.js';
import { uploadAnswerSchema } from '../routes/uploads.js';
import { bearer, error, missingScope, postIdParameter, tokenErrors } from './responses.js';
import { postListSchema, postPatchComponent, postRequestComponent, uploadRequestComponent } from './schemas.js';
import type { OperationSpec } from './types.js';
import { postDeletedSchema } from './delete-schemas.js';

const json = ['application/json'] as const;
const notJson = 'The body is not JSON sent with "content-type: application/json" (error.field is body)';
const noSuchPost = error('No post with this id in the token’s workspace.');

/**
 * `/v1/posts` and `/v1/uploads`: the API a program posts through. A function, not a constant:
 * app.ts (which mounts the document) is still loading when this module loads.
 */
export function postOperations(): OperationSpec[] {
  const tooLarge = `The JSON body is larger than ${maxJsonBodyBytes / 1024} KiB.`;
  return [
    {
      method: 'post',
      path: '/v1/posts',
      operationId: 'createPost',
      tags: ['Posts'],
      summary: 'Make a post',
      description:
        'Makes a post to one or more accounts, now or at a time given in plain words or ISO 8601. The request is ' +
        'checked against every target platform’s rules before anything is stored: a refused request changes nothing. ' +
        'Each target becomes a delivery that the worker publishes, retries and reports on; `callbackUrl` gets each ' +
        'outcome (see the callbackEvent webhook).',
      security: bearer,
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          description:
            'Any string of 1 to 255 characters. The same key with the same request answers the post made the first ' +
            'time (200) instead of making another; with another request it is a 422.',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      ],
      requestBody: { schema: postRequestComponent, contentTypes: json, required: true },
      responses: {
        '202': {
          description: 'Made: the post, its deliveries queued (due now) or scheduled.',
          schema: postViewSchema,
        },
        '200': {
          description: 'A request repeated with the same Idempotency-Key: the post made the first time.',
          schema: postViewSchema,
        },
        '400': error(
          `${notJson}, or a request the rules refuse; error.field names the input (targets[1], when, text): an ` +
            'unknown or ambiguous target, an unreadable or past time, "next slot" while the workspace has no slots, ' +
            'a text too long for a platform without ' +
            'thread: auto, no text and no media, an attachment a target cannot take (error.field media[i]: a video ' +
            'where only images go, more than its count, a video over its size).',
        ),
        '401': tokenErrors['401'],
        '403': missingScope('posts:write'),
        '413': error(`${tooLarge} Or an attachment is larger than the most hayon takes.`),
        '415': error(
          'An attachment is not a JPEG, PNG, WebP, GIF or MP4 (judged by its content), or not the declared one.',
        ),
        '409': error(
          'when: "next slot" and every slot of the workspace’s schedule in the next 8 weeks is held by another post ' +
            '(error.field when); nothing was stored.',
        ),
        '422': error('The Idempotency-Key was used before with another request (error.code idempotency_key_reused).'),
        '429': tokenErrors['429'],
        '502': error('A target platform could not be asked whether it takes the post; nothing was stored.'),
        '503': tokenErrors['503'],
      },
    },
    {
      method: 'get',
      path: '/v1/posts',
      operationId: 'listPosts',
      tags: ['Posts'],
      summary: 'List posts',
      description: 'The workspace’s posts, newest first. Page with `before`: the `createdAt` of the last post seen.',
      security: bearer,
      parameters: [
        {
          name: 'limit',
          in: 'query',
          description: 'How many posts, 1 to 100 (out of range is clamped).',
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        },
        {
          name: 'before',
          in: 'query',
          description: 'Only posts made before this time (ISO 8601).',
          schema: { type: 'string', format: 'date-time' },
        },
      ],
      responses: {
        '200': { description: 'The posts.', schema: postListSchema },
        '400': error('`before` is not an ISO time (error.field is before).'),
        '403': missingScope('posts:read'),
        ...tokenErrors,
      },
    },
    {
      method: 'get',
      path: '/v1/posts/{id}',
      operationId: 'getPost',
      tags: ['Posts'],
      summary: 'Get a post',
      description: 'A post with every delivery’s state, attempts, link and last error.',
      security: bearer,
      parameters: [postIdParameter],
      responses: {
        '200': { description: 'The post.', schema: postViewSchema },
        '403': missingScope('posts:read'),
        '404': noSuchPost,
        ...tokenErrors,
      },
    },
    {
      method: 'patch',
      path: '/v1/posts/{id}',
      operationId: 'editPost',
      tags: ['Posts'],
      summary: 'Edit a post that has not started',
      description:
        'Changes text, media, overrides, targets, `when` or `timezone` of a post nothing of which has started ' +
        'publishing (every delivery scheduled or queued). Each field given replaces the stored one. The post as ' +
        'edited is checked exactly as a new one (each platform’s rules, attachments fetched and checked): a refused ' +
        'edit changes nothing. A target added becomes a delivery, one left out is cancelled, a new time reschedules.',
      security: bearer,
      parameters: [postIdParameter],
      requestBody: { schema: postPatchComponent, contentTypes: json, required: true },
      responses: {
        '200': { description: 'The post as edited.', schema: postViewSchema },
        '400': error(
          `${notJson}, no field to change (error.field body), or an edit the rules refuse, named as for a new post ` +
            '(text, targets[1], when, media[0]).',
        ),
        '403': missingScope('posts:write'),
        '404': noSuchPost,
        '409': error(
          'Something of the post has started: the message names each delivery that is publishing, published or ' +
            'failed, and what to do instead; nothing was changed (error.code conflict, error.field id). Also a post ' +
            'that was cancelled.',
        ),
        '413': error(`${tooLarge} Or an attachment is larger than the most hayon takes.`),
        '415': error('An attachment is not a JPEG, PNG, WebP, GIF or MP4 (judged by its content).'),
        ...tokenErrors,
        '502': error('A target platform could not be asked whether it takes the post; nothing was changed.'),
      },
    },
    {
      method: 'post',
      path: '/v1/posts/{id}/cancel',
      operationId: 'cancelPost',
      tags: ['Posts'],
      summary: 'Cancel a post',
      description: 'Cancels every delivery that has not gone out yet; what is published stays published.',
      security: bearer,
      parameters: [postIdParameter],
      responses: {
        '200': { description: 'The post, its pending deliveries cancelled.', schema: postViewSchema },
        '403': missingScope('posts:write'),
        '404': noSuchPost,
        '409': error(
          'Nothing left to cancel: every delivery is published, failed, cancelled or being published ' +
            '(error.code not_cancellable).',
        ),
        ...tokenErrors,
      },
    },
    {
      method: 'post',
      path: '/v1/posts/{id}/publish-now',
      operationId: 'publishPostNow',
      tags: ['Posts'],
      summary: 'Publish a scheduled post now',
      description: 'What is still scheduled becomes due at once (the chat "Post now" button).',
      security: bearer,
      parameters: [postIdParameter],
      responses: {
        '200': { description: 'The post, its scheduled deliveries now due.', schema: postViewSchema },
        '403': missingScope('posts:write'),
        '404': noSuchPost,
        '409': error('Nothing is scheduled: every delivery is already due, done or cancelled (error.code conflict).'),
        ...tokenErrors,
      },
    },
    {
      method: 'post',
      path: '/v1/posts/{id}/retry',
      operationId: 'retryPost',
      tags: ['Posts'],
      summary: 'Retry a post’s failed deliveries',
      description:
        'Every failed delivery of the post is sent again, due now, through the scheduler and the worker like any due ' +
        'delivery (the chat "Retry" button, `hayon posts retry`). Each keeps its id, and so the idempotency key and ' +
        'record key the platforms see, its thread parts already published and its checkpoint: a retry resumes and ' +
        'never publishes twice. Deliveries that did not fail are left as they are.',
      security: bearer,
      parameters: [postIdParameter],
      responses: {
        '200': { description: 'The post, its failed deliveries due again.', schema: postViewSchema },
        '403': missingScope('posts:write'),
        '404': noSuchPost,
        '409': error(
          'Nothing failed: the message names each delivery’s state (published, scheduled, publishing…) and what to do ' +
            'instead (error.code conflict, error.field id).',
        ),
        ...tokenErrors,
      },
    },
    {
      method: 'delete',
      path: '/v1/posts/{id}',
      operationId: 'deletePost',
      tags: ['Posts'],
      summary: 'Delete a post',
      description:
        'Cancels what still waits and deletes what was published, on every platform whose API can: Bluesky ' +
        '(deleteRecord), Mastodon, Tumblr, Threads and Facebook; a thread part by part. Instagram’s API cannot delete ' +
        'a post: its delivery is `not_allowed`, with the post’s link so a person deletes it in the app. A platform ' +
        'that refuses leaves its delivery as it was (`failed`, with the reason): deleting again tries again. The ' +
        'same as the chat "Delete" button and `hayon posts delete`.',
      security: bearer,
      parameters: [postIdParameter],
      responses: {
        '200': {
          description: 'The post after the delete, and what happened to each delivery.',
          schema: postDeletedSchema,
        },
        '403': missingScope('posts:write'),
        '404': noSuchPost,
        '409': error(
          'Nothing to delete, and nothing changed: the post was already deleted (the message also names what only the ' +
            'app can delete), is being published right now, or never went out (error.code conflict, error.field id).',
        ),
        ...tokenErrors,
      },
    },
    {
      method: 'post',
      path: '/v1/uploads',
      operationId: 'createUpload',
      tags: ['Media'],
      summary: 'Make an upload URL',
      description:
        'Where to PUT a file (a presigned S3 URL, or hayon’s signed `PUT /media/upload/{key}` with the disk store) and ' +
        'the id to name it by in `POST /v1/posts` (`media: [{ id, alt }]`). The URL expires; an upload that no post ' +
        'uses is removed after 24 hours.',
      security: bearer,
      requestBody: { schema: uploadRequestComponent, contentTypes: json, required: true },
      responses: {
        '201': {
          description: 'The upload URL, the headers the PUT must carry, and the id.',
          schema: uploadAnswerSchema,
        },
        '400': error(`${notJson}, or an unknown type or a size that is not a positive whole number.`),
        '401': tokenErrors['401'],
        '403': missingScope('posts:write'),
        '413': error(`${tooLarge} Or \`size\` is larger than the most hayon takes (error.field is size).`),
        '429': tokenErrors['429'],
      },
    },
  ];
}
