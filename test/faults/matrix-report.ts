/**
 * Vitest's globalSetup for the fault matrix: each run gets a results file of its own (other runs
 * may share the machine), and when the run included fault tests (test/faults) the matrix with
 * each cell's result is printed after it. `npx tsx test/faults/matrix-report.ts` prints the last
 * such run's matrix again.
 */
import { formatMatrix, keepRun, lastRunFile, newRunFile, readResults } from './matrix.js';

export function setup(): () => void {
  const file = newRunFile();
  return () => {
    const results = keepRun(file);
    if (results.length > 0) console.log(`\n${formatMatrix(results)}\n`);
  };
}

if (process.argv[1]?.endsWith('matrix-report.ts')) console.log(formatMatrix(readResults(lastRunFile)));
