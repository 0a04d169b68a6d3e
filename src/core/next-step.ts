import type { HayonError, NextStep } from './errors.js';

/** The ways in, each with its own words for the same next step. */
export type Surface = 'api' | 'cli' | 'slack' | 'discord' | 'web';

type Sentences<K extends NextStep['kind']> = (step: Extract<NextStep, { kind: K }>) => Record<Surface, string>;

const sentences: { [K in NextStep['kind']]: Sentences<K> } = {
  thread: () => ({
    api: 'Shorten it, or set thread: "auto" to split it into a thread.',
    cli: 'Shorten it, or add --thread to split it into a thread.',
    slack: 'Shorten it, or tick "Split a long text into a thread" in the /post form (/post alone opens it).',
    discord: 'Shorten it, or set thread: True on /post to split it into a thread.',
    web: 'Shorten it, or tick "Split a long text into a thread".',
  }),
  connect: ({ platform }) => ({
    api: `Connect one first: POST /v1/connect/${platform} answers a link to open (or hayon accounts connect ${platform}).`,
    cli: `Connect one first: hayon accounts connect ${platform} gives a link to open${platform === 'bluesky' ? ' (or hayon accounts add bluesky --identifier … --app-password …)' : ''}.`,
    slack: `A workspace admin connects one with /hayon connect ${platform}.`,
    discord: `A member with Manage Server connects one with /hayon connect ${platform}.`,
    web: `Connect one first on the Accounts page (/app/accounts).`,
  }),
  reconnect: ({ platform }) => ({
    api: `Connect it again (the same account keeps its id): POST /v1/connect/${platform} answers a link to open.`,
    cli: `Connect it again (the same account keeps its id): hayon accounts connect ${platform} gives a link to open.`,
    slack: `A workspace admin connects it again with /hayon connect ${platform}.`,
    discord: `A member with Manage Server connects it again with /hayon connect ${platform}.`,
    web: `Connect it again on the Accounts page (/app/accounts); the same account keeps its id.`,
  }),
};

/** The error's next step in one surface's words, if it has one. */
export function nextStepText(e: HayonError, surface: Surface): string | undefined {
  const step = e.nextStep;
  if (!step) return undefined;
  const words = (sentences[step.kind] as Sentences<typeof step.kind>)(step as never);
  return words[surface];
}

/** The error's sentence for people on one surface, with its next step in that surface's words. */
export function messageFor(e: HayonError, surface: Surface): string {
  const next = nextStepText(e, surface);
  return next ? `${e.publicMessage} ${next}` : e.publicMessage;
}
