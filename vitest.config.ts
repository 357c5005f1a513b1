import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The integration files in the order they start (vitest without a duration cache — a fresh clone,
 * CI — starts the largest files first). Two files mostly wait on a bound (a dead broker's retries
 * and probe ~30 s, a suspended consumer's stall bound ~20 s): one of them at a time beside three busy
 * files keeps the two cores busy. Both at once beside one busy file left the cores ~30 % idle for
 * the first ~24 s; last, they ended the run alone on idle cores. Then the files that take 20 s or
 * more, longest first (seconds under the suite's load, 2 cores, 2026-12-03) — in file-size order
 * three ~20 s files started last and the run ended on one busy core —; the short ones fill in at the end.
 */
const startOrder = [
  '/test/broken/broker-gone.test.ts', // waits ~30 s
  '/test/integration/knob-grid.test.ts', // 51 s
  '/test/integration/platformatic-client.test.ts', // 43 s
  '/test/security/external-security.test.ts', // 38 s
  '/test/integration/hung-consumer.test.ts', // waits ~20 s: fifth, so it takes the first place freed — broker-gone's
  '/test/integration/lesson-broker.test.ts', // 26 s
  '/test/integration/cli.test.ts', // 24 s
  '/test/integration/catalogue.test.ts', // 23 s
  '/test/integration/shared-cluster-safety.test.ts', // 23 s
  '/test/signals/interrupts.test.ts', // 22 s
  '/test/integration/container-broker.test.ts', // 21 s
  '/test/integration/crash-mid-batch.test.ts', // 20 s
];
const rank = (file: TestSpecification) => {
  const at = startOrder.findIndex((path) => file.moduleId.endsWith(path));
  return at === -1 ? Number.MAX_SAFE_INTEGER : at;
};
class StartOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files); // the rest keep vitest's order (Array.sort is stable)
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    reporters: ['default'],
    sequence: { sequencer: StartOrder },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/temp-root.ts'],
          // First and on their own, four at a time: several wait on timers (a stall bound, a retry
          // window), and two at a time left the cores a third idle: 12–13 s, four 7.5–9.6 s (five
          // runs; the default on two cores, one at a time, took 22 s).
          maxWorkers: 4,
          // A bound for a hang, not a timing goal (those are in the tests and the bench): four at a
          // time on two cores a few tests take 2–5 s (a store two processes open at once, the bundle
          // built on a fresh clone), close to vitest's default 5 s when the machine's CPU is stolen.
          testTimeout: 30_000,
          // One module cache per worker, not per file: none of them sets globals, the environment or
          // mocks, and each file's fresh worker cost ~0.2 CPU-s of imports (measured: 18 s → 12 s).
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          // Everything that needs a real broker. One real broker for the whole suite (global
          // setup); tests that need their own (the three-node cluster, runs signalled in every
          // phase, a broker killed for good, SASL/TLS listeners) start it themselves.
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/signals/**/*.test.ts', 'test/broken/**/*.test.ts', 'test/security/**/*.test.ts'],
          globalSetup: ['test/temp-root.ts', 'test/integration/global-setup.ts'],
          // Files run four at a time: the files wait on sessions and bounds, and three at a time left
          // the cores 30 % idle (2026-12-04, no CPU stolen, one run each: three 153.5 s, four 139.1
          // and 137.9 s at 18 % idle, five 133.0 s). What limits it is a live member's longest
          // heartbeat silence against its 1.5 s session (KOL_LOG_HEARTBEAT_GAPS, over the whole
          // suite): four at a time 0.40 s, five 0.83 s. Heartbeats during strategy work keep a busy
          // machine from evicting members, and the own-broker files' bounds hold under that load.
          maxWorkers: 4,
          testTimeout: 240_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          // The three-node cluster (three JVMs and a failover) runs alone, after the rest: under the
          // pool's load leader-failover's counts change (auto-commit 0/237 twice with three files at a
          // time, manual-commit 0/38 instead of 0/100 once with four). kafkajs runs one fetcher per
          // node, and those of the nodes that lead none of the consumer's partitions heartbeat when
          // one is due (every 1.5 s here), also while the handler is held. After the coordinator's
          // SIGKILL such a heartbeat ends in a refused connection and kafkajs restarts the consumer
          // from its last commit, unless it has finished first: released right after the kill, an
          // unloaded consumer has; under load the release reaches it later. Released 2.5 s after the
          // kill, on an idle machine: auto-commit 0/237, manual-commit 0/38 (README, leader-failover).
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/temp-root.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
