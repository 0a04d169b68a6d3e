import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The browser suite (test/browser) runs once in CI, on Node 20: the Node 24 run leaves it out.
    exclude: ['**/node_modules/**', 'dist/**', ...(process.env.HAYON_SKIP_BROWSER_TESTS ? ['test/browser/**'] : [])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests that start servers use their own ports and temp dirs; two files at a time fits 2 cores.
    maxWorkers: 2,
    // A test certificate authority for fakes served over HTTPS (FakeTumblrServer): made once per
    // run, and trusted by every worker through NODE_EXTRA_CA_CERTS (see the file for why here).
    // The fault matrix (#22) is printed after a run that included test/faults.
    globalSetup: ['test/setup/test-ca.ts', 'test/faults/matrix-report.ts'],
  },
});
