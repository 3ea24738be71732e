import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CDK synths and the local runtime are CPU-heavy; two cores on CI.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC', POWERTOOLS_DEV: 'false', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
