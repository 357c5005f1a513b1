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
          // Everything that needs a real broker. One real broker for the whole suite (global
          // setup); tests that need their own (the three-node cluster, runs signalled in every
          // phase, a broker killed for good, SASL/TLS listeners) start it themselves.
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/cluster/**/*.test.ts', 'test/signals/**/*.test.ts', 'test/broken/**/*.test.ts', 'test/security/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // Most of a scenario run is waiting (sessions, fetch waits, broker starts): files run
          // three at a time; heartbeats during strategy work keep a busy machine from evicting
          // members, and the own-broker files' bounds hold under that load (measured: README).
          maxWorkers: 3,
          testTimeout: 240_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
