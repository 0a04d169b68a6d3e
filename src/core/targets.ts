import { HayonError } from './errors.js';
import { type Account, isPlatformId } from './post.js';

/**
 * Turns the request's targets into accounts. A target is a platform name (the workspace's one
 * account there), `platform:handle`, or an account id. Each bad target is a 400 naming its index.
 */
export function resolveTargets(targets: readonly string[], accounts: readonly Account[]): Account[] {
  const chosen = new Map<string, Account>();
  targets.forEach((raw, i) => {
    const field = `targets[${i}]`;
    const target = raw.trim();
    for (const account of matchTarget(target, accounts, field)) chosen.set(account.id, account);
  });
  return [...chosen.values()];
}

function matchTarget(target: string, accounts: readonly Account[], field: string): Account[] {
  const byId = accounts.find((a) => a.id === target);
  if (byId) return [byId];
  const [platform, ...rest] = target.toLowerCase().split(':');
  const handle = rest.join(':').replace(/^@/, '');
  if (!platform || !isPlatformId(platform)) {
    throw unknownTarget(
      field,
      `"${target}" is not a platform or a connected account (platforms: bluesky, mastodon, tumblr, threads, instagram, facebook).`,
    );
  }
  const onPlatform = accounts.filter((a) => a.platform === platform);
  if (handle) {
    const match = onPlatform.find((a) => a.handle.toLowerCase().replace(/^@/, '') === handle);
    if (!match) throw unknownTarget(field, `No ${platform} account "${handle}" is connected to this workspace.`);
    return [match];
  }
  if (onPlatform.length === 0) {
    const message = `No ${platform} account is connected to this workspace.`;
    throw new HayonError('unknown_target', message, {
      field,
      userMessage: message,
      nextStep: { kind: 'connect', platform },
    });
  }
  if (onPlatform.length > 1) {
    const names = onPlatform.map((a) => `${platform}:${a.handle}`).join(', ');
    throw new HayonError('ambiguous_target', `several ${platform} accounts`, {
      field,
      userMessage: `This workspace has several ${platform} accounts; name one: ${names}.`,
    });
  }
  return onPlatform;
}

function unknownTarget(field: string, message: string): HayonError {
  return new HayonError('unknown_target', message, { field, userMessage: message });
}
