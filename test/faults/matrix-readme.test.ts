import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { decisions, dependencies, steps } from './matrix.js';

const readme = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');

/** README rows name some dependencies differently, or two in one row. */
const rowOf: Record<string, string> = {
  'platform down': 'a platform down',
  'platform hanging': 'a platform hanging',
  'Slack API down': 'Slack or Discord API down',
  'Discord API down': 'Slack or Discord API down',
};

// The README's fault matrix says what the printed matrix says, cell by cell.
it('the README fault matrix holds the decisions of test/faults/matrix.ts', () => {
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replaceAll('`', ''));
    if (cells.length === 5 && cells[0]) rows.set(cells[0], cells.slice(1));
  }
  for (const d of dependencies) {
    const row = rows.get(rowOf[d] ?? d);
    expect(row, `README row for ${d}`).toBeDefined();
    steps.forEach((s, i) => {
      expect(row?.[i], `${d} · ${s}`).toBe(decisions[d][s] ?? '');
    });
  }
});
