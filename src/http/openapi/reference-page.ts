import type { OpenApiDocument } from './document.js';
import {
  anchor,
  componentLink,
  esc,
  limitParts,
  prose,
  renderSchema,
  renderSchemaBody,
  typeLabel,
} from './schema-html.js';
import type { JsonSchema } from './types.js';

/** One operation as the page lists it: a route (`path`) or a webhook hayon sends (`webhook`). */
interface Entry {
  method: string;
  path: string;
  webhook: boolean;
  op: JsonSchema;
}

const css = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem 4rem}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #dde2ea;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin:2rem 0 .3rem;font-size:1.1rem}h4{margin:1rem 0 .3rem}
code{font:13px ui-monospace,monospace;background:#f2f4f7;padding:0 .2rem;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.3rem 0}th,td{border:1px solid #dde2ea;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f7f9}td p{margin:0 0 .3rem}td table{font-size:.95em}
.method{display:inline-block;min-width:3.5rem;text-align:center;border-radius:4px;color:#fff;font:bold 12px
ui-monospace,monospace;padding:.15rem .4rem;margin-right:.4rem;background:#5a6270}
.get{background:#2f7d4f}.post{background:#2458a6}.put{background:#8a5a00}.delete{background:#a62424}
.op{border-left:3px solid #dde2ea;padding-left:1rem}.note{color:#5a6270}nav>ul{columns:2}nav>ul>li{break-inside:avoid}
.status{font-weight:bold}a{color:#2458a6}`;

/**
 * The OpenAPI document as one readable HTML page: a table of contents by tag, each operation
 * with its parameters, body and answers as property tables, the webhooks hayon sends, and every
 * component. Self-contained (inline CSS, no scripts, fonts or anything fetched from elsewhere):
 * hayon is self-hosted and may run offline. All text from the document is escaped.
 */
export function renderReferencePage(doc: OpenApiDocument): string {
  const entries = entriesOf(doc);
  const components = doc.components.schemas;
  const tagNames = [...doc.tags.map((t) => t.name), ...untagged(entries, doc)];
  const byTag = (tag: string) => entries.filter((e) => firstTag(e.op) === tag);
  const toc = tagNames
    .map((tag) => {
      const items = byTag(tag).map(
        (e) => `<li><a href="#${anchor('op', String(e.op.operationId))}">${signature(e)}</a></li>`,
      );
      return `<li><a href="#${anchor('tag', tag)}">${esc(tag)}</a><ul>${items.join('')}</ul></li>`;
    })
    .join('');
  const sections = tagNames.map((tag) => {
    const about = doc.tags.find((t) => t.name === tag)?.description;
    return (
      `<section id="${anchor('tag', tag)}"><h2>${esc(tag)}</h2>${about ? `<p>${prose(about)}</p>` : ''}` +
      `${byTag(tag)
        .map((e) => operation(e, components))
        .join('')}</section>`
    );
  });
  const componentList = Object.keys(components).map((name) => `<li>${componentLink(name)}</li>`);
  const componentSections = Object.entries(components).map(
    ([name, schema]) =>
      `<section id="${anchor('schema', name)}"><h3>${esc(name)}</h3>${renderSchemaBody(schema)}</section>`,
  );
  const servers = (doc.servers ?? []).map((s) => `<code>${esc(s.url)}</code>`).join(', ');
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${esc(doc.info.title)} API reference</title><style>${css}</style></head><body><main>`,
    `<h1>${esc(doc.info.title)} API reference</h1><p class="note">Version ${esc(doc.info.version)} · OpenAPI ${esc(doc.openapi)} · `,
    `machine-readable: <a href="openapi.json"><code>/openapi.json</code></a>${servers ? ` · server ${servers}` : ''}</p>`,
    doc.info.description
      .split('\n\n')
      .map((p) => `<p>${prose(p)}</p>`)
      .join(''),
    `<nav><h2>Contents</h2><ul>${toc}<li><a href="#components">Schemas</a><ul>${componentList.join('')}</ul></li></ul></nav>`,
    ...sections,
    `<section id="components"><h2>Schemas</h2>${componentSections.join('')}</section>`,
    '</main></body></html>',
  ].join('\n');
}

function entriesOf(doc: OpenApiDocument): Entry[] {
  const entries: Entry[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) entries.push({ method, path, webhook: false, op });
  }
  for (const [name, methods] of Object.entries(doc.webhooks)) {
    for (const [method, op] of Object.entries(methods)) entries.push({ method, path: name, webhook: true, op });
  }
  return entries;
}

function firstTag(op: JsonSchema): string {
  return Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'Other';
}

function untagged(entries: Entry[], doc: OpenApiDocument): string[] {
  const known = new Set(doc.tags.map((t) => t.name));
  return [...new Set(entries.map((e) => firstTag(e.op)).filter((t) => !known.has(t)))];
}

function signature(e: Entry): string {
  const what = e.webhook ? `webhook <code>${esc(e.path)}</code>` : `<code>${esc(e.path)}</code>`;
  return `<span class="method ${esc(e.method)}">${esc(e.method.toUpperCase())}</span>${what}`;
}

function operation(e: Entry, components: Record<string, JsonSchema>): string {
  const { op } = e;
  const security = Array.isArray(op.security) && op.security.length > 0;
  const auth = e.webhook
    ? 'Sent by hayon to your URL.'
    : security
      ? 'Needs an API token: <code>Authorization: Bearer hyn_…</code>.'
      : 'No API token.';
  const body = op.requestBody as JsonSchema | undefined;
  const expanded = new Set<string>();
  const bodyHtml = body
    ? `<h4>${e.webhook ? 'Body hayon sends' : 'Request body'}</h4>` +
      `${body.description ? `<p>${prose(body.description)}</p>` : ''}${content(body, components, expanded)}`
    : '';
  const answers = Object.entries((op.responses ?? {}) as Record<string, JsonSchema>).map(
    ([status, r]) =>
      `<p><span class="status">${esc(status)}</span> ${prose(r.description)}</p>` +
      `${headers(r.headers)}${content(r, components, expanded)}`,
  );
  return [
    `<section class="op" id="${anchor('op', String(op.operationId))}"><h3>${signature(e)}</h3>`,
    `<p><strong>${prose(op.summary)}</strong></p><p>${prose(op.description)}</p><p class="note">${auth}</p>`,
    parameters(op.parameters),
    bodyHtml,
    `<h4>${e.webhook ? 'Your answer' : 'Answers'}</h4>`,
    ...answers,
    '</section>',
  ].join('\n');
}

function parameters(list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) return '';
  const rows = (list as JsonSchema[]).map(
    (p) =>
      `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${typeLabel((p.schema ?? {}) as JsonSchema)}</td>` +
      `<td>${p.required ? 'required' : 'optional'}</td><td>${prose(p.description ?? '')}${limits(p.schema as JsonSchema)}</td></tr>`,
  );
  return (
    '<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Description</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

/** A parameter's allowed values, default and range, after its description. */
function limits(schema: JsonSchema | undefined): string {
  const parts = schema ? limitParts(schema) : [];
  return parts.length > 0 ? ` <span class="note">${parts.join(' ')}</span>` : '';
}

function headers(map: unknown): string {
  if (typeof map !== 'object' || map === null) return '';
  const rows = Object.entries(map as Record<string, JsonSchema>).map(
    ([name, h]) =>
      `<tr><td><code>${esc(name)}</code></td><td>${typeLabel((h.schema ?? {}) as JsonSchema)}</td><td>${prose(h.description ?? '')}</td></tr>`,
  );
  return `<table><thead><tr><th>Header</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A request body or answer: its content types and, for each distinct schema, its fields. */
function content(holder: JsonSchema, components: Record<string, JsonSchema>, expanded: Set<string>): string {
  const map = (holder.content ?? {}) as Record<string, JsonSchema>;
  const types = Object.keys(map);
  if (types.length === 0) return '';
  const schemas = new Map<string, JsonSchema>();
  for (const media of Object.values(map))
    if (media.schema) schemas.set(JSON.stringify(media.schema), media.schema as JsonSchema);
  const typeLine = `<p class="note">Content type: ${types.map((t) => `<code>${esc(t)}</code>`).join(', ')}</p>`;
  return typeLine + [...schemas.values()].map((s) => renderSchema(s, components, expanded)).join('');
}
