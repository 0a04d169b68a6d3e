import { AppBskyRichtextFacet, RichText } from '@atproto/api';

/** A facet as `app.bsky.feed.post` stores it (UTF-8 byte offsets, one or more features). */
export type Facet = AppBskyRichtextFacet.Main;

/** Resolves a handle (`alice.bsky.social`) to a DID, or null when it does not exist. */
export type HandleResolver = (handle: string) => Promise<string | null>;

/**
 * The facets of a post's text as Bluesky's own app makes them, with `@atproto/api`'s RichText:
 * links (bare domains such as `www.example.org/x` included, as `https://…`), hashtags, cashtags
 * and mentions. Mentions are resolved through `resolve`, once per handle and one at a time
 * (resolution is the first authenticated call and may refresh the session); one that does not
 * resolve stays plain text.
 *
 * Not `RichText.detectFacets(agent)`: it turns every failed resolution, a network error or a
 * stale token included, into a mention with an empty DID, which the PDS refuses; here an error
 * that is not "no such handle" reaches the caller, so the post is retried rather than published
 * with a mention silently dropped.
 *
 * @example await buildFacets('hi @bob.test', resolve)
 * // → [{ index: { byteStart: 3, byteEnd: 12 }, features: [{ $type: '…#mention', did: 'did:plc:…' }] }]
 */
export async function buildFacets(text: string, resolve: HandleResolver): Promise<Facet[]> {
  const rt = new RichText({ text });
  rt.detectFacetsWithoutResolution();
  const dids = new Map<string, string | null>();
  const facets: Facet[] = [];
  for (const facet of rt.facets ?? []) {
    const features: Facet['features'] = [];
    for (const feature of facet.features) {
      if (!AppBskyRichtextFacet.isMention(feature)) {
        features.push(feature);
        continue;
      }
      // Until resolved, the feature's `did` holds the handle.
      const handle = feature.did.toLowerCase();
      if (!dids.has(handle)) dids.set(handle, await resolve(handle));
      const did = dids.get(handle);
      if (did) features.push({ ...feature, did });
    }
    if (features.length > 0) facets.push({ index: facet.index, features });
  }
  return facets;
}

/** Graphemes as Bluesky counts them (the unit of its 300 limit). */
export function graphemeLength(text: string): number {
  return new RichText({ text }).graphemeLength;
}

/** UTF-8 bytes (the post's other limit, 3,000). */
export function utf8Length(text: string): number {
  return new RichText({ text }).length;
}

/** The URI of the first link facet, in text order: what a link card shows. */
export function firstLink(facets: readonly Facet[]): string | undefined {
  const sorted = [...facets].sort((a, b) => a.index.byteStart - b.index.byteStart);
  for (const facet of sorted) {
    for (const feature of facet.features) if (AppBskyRichtextFacet.isLink(feature)) return feature.uri;
  }
  return undefined;
}
