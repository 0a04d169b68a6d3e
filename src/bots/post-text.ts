import * as chrono from 'chrono-node';
import { HayonError } from '../core/errors.js';
import { isPlatformId } from '../core/post.js';
import { parseWhen } from '../core/schedule.js';

/** What `/post <words>` says: the text, and if it ends with them, a time and targets. */
export interface ParsedPostText {
  text: string;
  /** The time phrase as written ("tomorrow 9am"); absent means now. */
  when?: string | undefined;
  /** As written after a final "to" ("bluesky,mastodon"); absent means the workspace's default targets. */
  targets?: string[] | undefined;
}

/** `to bluesky, mastodon:@me@mastodon.social` at the very end. */
const trailingTargets = /\s+to\s+([\w.:@/-]+(?:\s*,\s*[\w.:@/-]+)*)\s*$/i;
/** A zone after the time ("friday 17:30 Europe/Berlin"), which chrono does not read itself. */
const trailingZone = /\s+((?:in\s+)?(?:[A-Za-z]+\/[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)?|UTC))\s*$/;

/**
 * Reads a one-line post command, shared by Slack's `/post` and Discord's `text:`: `Launch day!
 * https://example.com tomorrow 9am to bluesky,mastodon` is the text `Launch day!
 * https://example.com`, the time `tomorrow 9am` and the targets `bluesky` and `mastodon`.
 *
 * - Targets are taken only when every item after the last " to " looks like one (a platform
 *   name, `platform:handle`, or a known account id): "Welcome to Berlin" stays text.
 * - The time is the phrase that ends the text, when the time reader understands all of it and
 *   it is not in the past: "notes from yesterday" stays text. The caller shows the time it read,
 *   so a wrong guess is seen before anything is published.
 */
export function parsePostText(
  input: string,
  options: { timezone: string; now: number; accountIds?: readonly string[] },
): ParsedPostText {
  let rest = input.trim();
  let targets: string[] | undefined;
  const t = trailingTargets.exec(rest);
  if (t?.[1]) {
    const items = t[1].split(',').map((s) => s.trim());
    if (items.every((item) => looksLikeTarget(item, options.accountIds ?? []))) {
      targets = items;
      rest = rest.slice(0, t.index).trimEnd();
    }
  }
  const when = trailingTime(rest, options);
  if (when) rest = rest.slice(0, rest.length - when.length).trimEnd();
  return { text: rest, ...(when ? { when } : {}), ...(targets ? { targets } : {}) };
}

function looksLikeTarget(item: string, accountIds: readonly string[]): boolean {
  if (accountIds.includes(item)) return true;
  const platform = item.split(':')[0]?.toLowerCase() ?? '';
  return isPlatformId(platform);
}

/** The time phrase the text ends with (with a zone after it, if any), or undefined. */
function trailingTime(text: string, options: { timezone: string; now: number }): string | undefined {
  // "next slot": the workspace's queue (core/slots.ts); the post service finds the time.
  const slot = /(?:^|\s)(next\s+(?:free\s+)?slot)$/i.exec(text);
  if (slot?.[1]) return slot[1];
  const zone = trailingZone.exec(text);
  const body = zone ? text.slice(0, zone.index) : text;
  if (/\snow$|^now$/i.test(body)) return text.slice(body.length - 3);
  const results = chrono.casual.parse(body, new Date(options.now), { forwardDate: true });
  const last = results.at(-1);
  if (!last || last.index + last.text.length !== body.length) return undefined;
  // The phrase must start a word, never inside a URL or a word.
  if (last.index > 0 && !/\s/.test(body[last.index - 1] ?? '')) return undefined;
  const phrase = text.slice(last.index);
  if (/^\d+$/.test(last.text.trim())) return undefined;
  try {
    parseWhen(phrase, options);
    return phrase;
  } catch (e) {
    if (!(e instanceof HayonError)) throw e;
    // A clock time or a full date is meant as the time, even in the past: the author hears that
    // it is in the past. A bare day ("notes from yesterday") is part of the text.
    return last.start.isCertain('hour') || /\d{4}-\d{2}-\d{2}/.test(phrase) ? phrase : undefined;
  }
}
