import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Vitest's default is one worker fewer than the cores: one worker on CI's two, while the main process mostly
    // waits. Two at once there halve the suite's wall time.
    maxWorkers: Math.max(2, availableParallelism()),
    // CDK synths and the local runtime are CPU-heavy; two cores on CI.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC', POWERTOOLS_DEV: 'false', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
