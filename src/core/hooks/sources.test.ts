import { describe, expect, it } from 'vitest';
import { hookSourceIds, hookSources } from './sources.js';
import { compileTemplate } from './template.js';

describe('hookSources', () => {
  it('has one source per id, each under its own id', () => {
    expect(Object.keys(hookSources).sort()).toEqual([...hookSourceIds].sort());
    for (const id of hookSourceIds) expect(hookSources[id].id).toBe(id);
  });

  it("gives each source a default template that compiles and uses only the source's fields", () => {
    for (const source of Object.values(hookSources)) {
      const template = compileTemplate(source.defaultTemplate);
      const known = source.fields;
      if (!known) continue;
      for (const field of template.fields)
        expect(Object.keys(known), `${source.id}: ${field.path}`).toContain(field.path);
      for (const description of Object.values(known)) expect(description.length).toBeGreaterThan(5);
    }
  });

  it('names the header that carries each signature', () => {
    expect(Object.fromEntries(hookSourceIds.map((id) => [id, hookSources[id].signatureHeader]))).toEqual({
      generic: 'X-Hayon-Signature',
      github: 'X-Hub-Signature-256',
      ghost: 'X-Ghost-Signature',
      wordpress: 'X-Hayon-Signature',
    });
  });
});
