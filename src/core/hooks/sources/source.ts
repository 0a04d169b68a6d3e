import type { HookSourceId } from '../../hook.js';
import type { SignatureCheck } from '../signature.js';

/**
 * The port every kind of incoming webhook implements: how its requests are signed, and how its
 * payload becomes an event that a hook's template turns into a post. Sources are pure: no I/O,
 * the time comes in with the request.
 */

/** What a source sees of an incoming request. */
export interface HookRequest {
  /** A request header by name, case-insensitively; undefined when absent. */
  headers: (name: string) => string | undefined;
  /** The raw body, exactly as received (signatures cover these bytes). */
  body: Buffer;
  /** hayon's clock when the request arrived, epoch ms. */
  nowMs: number;
}

/** An image to attach, by URL (downloaded and checked later like any other post media). */
export interface HookMedia {
  url: string;
  alt?: string;
}

export type HookEvent =
  | {
      kind: 'post';
      /** The source's id for this event: a repeat with the same id is the same post. */
      eventId: string | undefined;
      /** What the template may use (`{{title}}`, `{{release.tag_name}}` for generic hooks…). */
      fields: Record<string, unknown>;
      media: HookMedia[];
    }
  /** Acknowledged (202), nothing made; `reason` is a sentence for the sender. */
  | { kind: 'ignore'; reason: string };

export interface HookSource {
  id: HookSourceId;
  /** The header that carries the signature, for error messages and docs. */
  signatureHeader: string;
  /** Checks the request's signature against the hook's secrets (usually one). */
  verify(req: HookRequest, secrets: readonly string[]): SignatureCheck;
  /**
   * The parsed JSON body (already signature-checked) → an event.
   * @throws HookPayloadError when the payload lacks what the source needs.
   */
  read(req: HookRequest, json: unknown): HookEvent;
  /** The template a hook of this source gets when none is given. */
  defaultTemplate: string;
  /**
   * The fields `read` provides, each with a one-line description (for `hayon hooks create`
   * validation and the docs); null for generic hooks, whose fields are the body's own.
   */
  fields: Readonly<Record<string, string>> | null;
}

/**
 * A payload without what its source needs: a 400 naming `field` (a JSON path such as
 * `post.current`, `body` for the whole payload, or a header name). The message is read after the
 * field: "release.tag_name: a published release has a tag; this one has none."
 */
export class HookPayloadError extends Error {
  override readonly name = 'HookPayloadError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
