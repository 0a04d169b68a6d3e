import { PlatformError, type FailureKind } from '../../src/core/errors.js';
import type { PlatformId } from '../../src/core/post.js';
import type {
  AccountProfile,
  Platform,
  PublishInput,
  PublishResult,
  ImageLimits,
  RemoveInput,
} from '../../src/platforms/platform.js';
import type { ResolvedContent, TextRules, ValidationIssue, ResolvedMedia } from '../../src/core/content.js';

export interface FakePlatformOptions {
  /** Longest text accepted, in code points. */
  maxLength?: number;
  /** Image limits it states; default 5 MB, any size. */
  imageLimits?: ImageLimits;
  /** Whether long texts may become threads (default true). */
  threads?: boolean;
  /** Milliseconds each publish takes. */
  latencyMs?: number | (() => number);
  /** Whether its API can delete a post (default true; false is like Instagram: no `remove`). */
  canDelete?: boolean;
}

interface ScriptedFailure {
  kind: FailureKind;
  status: number;
  retryAfterMs?: number;
  /** The error's message; default "{platform} answered {status}". */
  message?: string;
  /** Fail after the post was "created" upstream (the answer is lost on the way back). */
  afterCreate?: boolean;
}

/**
 * FakePlatform: an in-process Platform that keeps what it "published" in memory, keyed by
 * delivery id like a platform with idempotency keys would be able to answer. Failures are
 * scripted per call. For the worker's logic, scale tests and benchmarks; the Bluesky tests use a
 * real PDS instead.
 */
export class FakePlatform implements Platform {
  readonly posts = new Map<
    string,
    { text: string; media: number; at: number; account: string; replyTo?: string | undefined }
  >();
  /** Every publish call, including those that failed. */
  calls = 0;
  /** The attachments of each publish as the adapter got them (URL, type) with the bytes it loaded. */
  readonly media = new Map<string, { item: ResolvedMedia; bytes: Uint8Array; mimeType: string }[]>();
  /** The remote ids taken down by `remove`, in order. */
  readonly deleted: string[] = [];
  /** Absent when constructed with `canDelete: false`. */
  declare remove?: (input: RemoveInput) => Promise<void>;
  readonly #failures: ScriptedFailure[] = [];
  readonly #removeFailures: ScriptedFailure[] = [];
  readonly #gates: (() => void)[] = [];
  #hold = false;

  constructor(
    readonly id: PlatformId,
    private readonly options: FakePlatformOptions = {},
  ) {
    if (options.canDelete !== false) this.remove = (input) => this.#remove(input);
  }

  /** The next `remove` fails this way. */
  failNextRemove(failure: ScriptedFailure): this {
    this.#removeFailures.push(failure);
    return this;
  }

  /** Deletes each post (the last first); one already gone counts as deleted, as platforms answer. */
  async #remove(input: RemoveInput): Promise<void> {
    const failure = this.#removeFailures.shift();
    if (failure) throw this.#error(failure);
    for (const post of [...input.posts].reverse()) {
      const key = post.remoteId.slice(`${this.id}:`.length);
      this.posts.delete(key);
      this.deleted.push(post.remoteId);
    }
  }

  /** The next `times` publishes fail this way. */
  failNext(failure: ScriptedFailure, times = 1): this {
    for (let i = 0; i < times; i++) this.#failures.push(failure);
    return this;
  }

  /** Publishes wait until `release()`: lets a test act while a delivery is in flight. */
  hold(): void {
    this.#hold = true;
  }

  release(): void {
    this.#hold = false;
    for (const open of this.#gates.splice(0)) open();
  }

  async rules(): Promise<TextRules> {
    return {
      maxLength: this.options.maxLength ?? 500,
      unit: 'characters',
      count: (text) => [...text].length,
      threads: this.options.threads ?? true,
    };
  }

  async imageLimits(): Promise<ImageLimits> {
    return this.options.imageLimits ?? { maxBytes: 5 * 1024 * 1024 };
  }

  async validate(content: ResolvedContent): Promise<ValidationIssue[]> {
    const max = this.options.maxLength ?? 500;
    const length = [...content.text].length;
    if (length > max) {
      return [
        {
          field: 'text',
          code: 'content_too_long',
          message: `Too long for ${this.id} by ${length - max} characters (${length} of ${max}).`,
        },
      ];
    }
    return [];
  }

  async verify(credentials: Record<string, unknown>): Promise<AccountProfile> {
    const handle = String(credentials.identifier ?? 'fake');
    if (credentials.appPassword === 'wrong')
      throw new PlatformError('auth', 'Invalid identifier or password.', { platform: this.id, status: 401 });
    return { handle, remoteId: `fake:${handle}`, credentials };
  }

  async publish(input: PublishInput): Promise<PublishResult> {
    this.calls++;
    if (this.#hold) await new Promise<void>((resolve) => this.#gates.push(resolve));
    const latency =
      typeof this.options.latencyMs === 'function' ? this.options.latencyMs() : (this.options.latencyMs ?? 0);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const failure = this.#failures.shift();
    if (failure && !failure.afterCreate) throw this.#error(failure);
    const loaded = [];
    for (const item of input.content.media) loaded.push({ item, ...(await input.loadMedia(item, input.signal)) });
    this.media.set(input.key, loaded);
    const existing = this.posts.get(input.key);
    if (!existing) {
      this.posts.set(input.key, {
        text: input.content.text,
        media: input.content.media.length,
        at: Date.now(),
        account: input.account.id,
        replyTo: input.replyTo?.parent.remoteId,
      });
    }
    if (failure) throw this.#error(failure);
    return this.#result(input.key);
  }

  async reconcile(input: PublishInput): Promise<PublishResult | null> {
    return this.posts.has(input.key) ? this.#result(input.key) : null;
  }

  #result(deliveryId: string): PublishResult {
    return { remoteId: `${this.id}:${deliveryId}`, url: `https://${this.id}.example/p/${deliveryId}` };
  }

  #error(f: ScriptedFailure): PlatformError {
    return new PlatformError(f.kind, f.message ?? `${this.id} answered ${f.status}`, {
      platform: this.id,
      status: f.status,
      ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
    });
  }
}
