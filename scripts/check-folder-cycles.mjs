#!/usr/bin/env node
// No import cycle between the folders of src/ (issue #17): dependency-cruiser finds cycles
// between modules; this collapses every module to its folder (src/core/hooks/x.ts → src/core,
// src/logger.ts stays itself) and looks for cycles in that graph. Run from the repository root
// (or a tree laid out like it); exit 1 and the cycles when there are some.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');

const run = spawnSync(process.execPath, [bin, 'src', '--config', config, '--output-type', 'json'], {
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
let result;
try {
  result = JSON.parse(run.stdout);
} catch {
  process.stderr.write(`dependency-cruiser did not answer with JSON:\n${run.stderr}\n`);
  process.exit(2);
}

/** `src/core/hooks/x.ts` → `src/core`; `src/logger.ts` → itself; outside src → null. */
function folderOf(source) {
  const parts = source.split('/');
  if (parts[0] !== 'src') return null;
  return parts.length > 2 ? `src/${parts[1]}` : source;
}

/** folder → folder → the first import seen that makes the arrow (for the message). */
const edges = new Map();
for (const module of result.modules) {
  const from = folderOf(module.source);
  if (!from) continue;
  for (const dependency of module.dependencies) {
    const to = dependency.resolved ? folderOf(dependency.resolved) : null;
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const targets = edges.get(from);
    if (!targets.has(to)) targets.set(to, `${module.source} → ${dependency.resolved}`);
  }
}

// Tarjan's strongly connected components: every component of more than one folder is a cycle.
let index = 0;
const indices = new Map();
const lowlinks = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function connect(node) {
  indices.set(node, index);
  lowlinks.set(node, index);
  index++;
  stack.push(node);
  onStack.add(node);
  for (const next of edges.get(node)?.keys() ?? []) {
    if (!indices.has(next)) {
      connect(next);
      lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)));
    } else if (onStack.has(next)) {
      lowlinks.set(node, Math.min(lowlinks.get(node), indices.get(next)));
    }
  }
  if (lowlinks.get(node) === indices.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component.sort());
  }
}
for (const node of [...edges.keys()].sort()) if (!indices.has(node)) connect(node);

if (components.length === 0) {
  console.log(`✔ no import cycle between the folders of src/ (${edges.size} folders import others).`);
  process.exit(0);
}
for (const component of components) {
  console.error(`✘ folder cycle: ${component.join(', ')}`);
  const members = new Set(component);
  for (const from of component) {
    for (const [to, example] of edges.get(from) ?? []) {
      if (members.has(to)) console.error(`    ${from} → ${to}  (${example})`);
    }
  }
}
console.error('Move what both sides need to the folder they may both import (see README "Layout").');
process.exit(1);
