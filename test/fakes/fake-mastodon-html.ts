const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Mastodon's rendering of a status: paragraphs, `<br />`, links split into invisible/ellipsis spans, mentions as h-cards. */
export function toHtml(text: string): string {
  const inline = (line: string) =>
    escapeHtml(line)
      .replace(/https?:\/\/[^\s<]+/g, (u) => {
        const [scheme, rest] = [u.slice(0, u.indexOf('//') + 2), u.slice(u.indexOf('//') + 2)];
        return `<a href="${u}" rel="nofollow noopener" target="_blank"><span class="invisible">${scheme}</span><span class="ellipsis">${rest.slice(0, 30)}</span><span class="invisible">${rest.slice(30)}</span></a>`;
      })
      .replace(
        /(^|\s)@(\w+)(?:@[\w.-]+\w)?/g,
        '$1<span class="h-card"><a href="#" class="u-url mention">@<span>$2</span></a></span>',
      );
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split('\n').map(inline).join('<br />')}</p>`)
    .join('');
}
