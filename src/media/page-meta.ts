/** What a link card takes from a page's head. */
export interface PageMeta {
  title?: string;
  description?: string;
  /** Absolute http(s) URL of the page's image. */
  image?: string;
}

/** Longer titles and descriptions are cut (with "…"): a card shows a line or two of each. */
export const pageMetaLimits = { title: 300, description: 1000 } as const;

const titleKeys = ['og:title', 'twitter:title'];
const descriptionKeys = ['og:description', 'twitter:description', 'description'];
const imageKeys = ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src'];

/**
 * Reads the Open Graph and Twitter card tags of an HTML page (`<meta property|name=… content=…>`),
 * falling back to `<title>` and the meta description. Only the head is read (up to `</head>`);
 * entities are decoded, whitespace collapsed, and the image URL made absolute against `pageUrl`
 * (only http and https are kept).
 *
 * @example readPageMeta('<meta property="og:title" content="Hi &amp; bye">', 'https://a.example/')
 * // → { title: 'Hi & bye' }
 */
export function readPageMeta(html: string, pageUrl: string): PageMeta {
  const headEnd = html.search(/<\/head\s*>|<body[\s>]/i);
  const head = headEnd === -1 ? html : html.slice(0, headEnd);
  const tags = new Map<string, string>();
  for (const match of head.matchAll(/<meta\b([^>]*)>/gi)) {
    const attrs = attributes(match[1] ?? '');
    const key = (attrs.get('property') ?? attrs.get('name'))?.toLowerCase();
    const content = attrs.get('content');
    // The first of each wins, as card readers do (a page may list several images).
    if (key && content !== undefined && !tags.has(key)) tags.set(key, content);
  }
  const pick = (keys: string[]) => keys.map((k) => clean(tags.get(k) ?? '')).find((v) => v !== '');
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(head)?.[1];
  const title = pick(titleKeys) ?? (titleTag ? clean(titleTag) || undefined : undefined);
  const description = pick(descriptionKeys);
  const image = absolute(pick(imageKeys), pageUrl);
  return {
    ...(title ? { title: cut(title, pageMetaLimits.title) } : {}),
    ...(description ? { description: cut(description, pageMetaLimits.description) } : {}),
    ...(image ? { image } : {}),
  };
}

/** Attribute names (lowercased) and values of one tag's inside. */
function attributes(inside: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of inside.matchAll(re)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!attrs.has(name)) attrs.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Entities decoded, tags dropped, whitespace collapsed. */
function clean(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref[0] !== '#') return named[ref.toLowerCase()] ?? whole;
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function absolute(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    const resolved = new URL(url, base);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}
