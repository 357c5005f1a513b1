import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // One real broker for the whole suite (tests that need their own start one).
          globalSetup: ['test/integration/global-setup.ts'],
          // Most of a scenario run is waiting (sessions, fetch waits): files run three at a time on
          // the shared broker; heartbeats during strategy work keep a busy machine from evicting members.
          maxWorkers: 3,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // Tests that start their own brokers (the three-node cluster, runs signalled in every
          // phase): no shared broker.
          name: 'own-brokers',
          include: ['test/cluster/**/*.test.ts', 'test/signals/**/*.test.ts', 'test/broken/**/*.test.ts', 'test/security/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
