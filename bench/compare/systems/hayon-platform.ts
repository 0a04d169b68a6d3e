import type { PublishInput, PublishResult } from '../../../src/platforms/platform.js';
import { FakePlatform } from '../../../test/fakes/fake-platform.js';
import { publishCall, publishedCall } from '../fake-platform-server.js';

/**
 * hayon's side of the fake platform: the test suite's FakePlatform (text rules, validation,
 * verify) with publish and reconcile going to the bench's HTTP server, keyed by `input.key`
 * (the delivery id), like every other system's jobs.
 */
export class HttpFakePlatform extends FakePlatform {
  constructor(private readonly url: string) {
    super('bluesky');
  }

  override async publish(input: PublishInput): Promise<PublishResult> {
    await publishCall(this.url, input.key, input.signal);
    return this.#result(input.key);
  }

  override async reconcile(input: PublishInput): Promise<PublishResult | null> {
    return (await publishedCall(this.url, input.key, input.signal)) ? this.#result(input.key) : null;
  }

  #result(key: string): PublishResult {
    return { remoteId: `bench:${key}`, url: `${this.url}/p/${encodeURIComponent(key)}` };
  }
}
