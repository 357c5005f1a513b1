import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findScenario } from '../../scenarios/index.ts';
import { killAt } from '../../src/faults/kill-at.ts';
import type { CrashPointName } from '../../src/history/events.ts';
import type { RunResult } from '../../src/runner/run-result.ts';
import { defineScenario } from '../../src/runner/scenario.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { sharedBroker } from './shared-broker.ts';

const resultsRoot = mkdtempSync(join(tmpdir(), 'kol-right-way-'));
/** Effects (lost/duplicated) and deliveries repeated, per row. */
const counts = (result: RunResult) =>
  Object.fromEntries(result.strategies.map((s) => [s.name, { lost: s.lost, duplicated: s.duplicated, redelivered: s.duplicatedDeliveries }]));

async function run(name: string, knobs: Record<string, number> = {}): Promise<RunResult> {
  const scenario = findScenario(name)!;
  const result = await runScenario(scenario, { ...scenario.defaults, ...knobs }, { broker: sharedBroker(), resultsRoot });
  expect(result.verdict).not.toBe('unknown');
  expect(result.strategies.every((s) => s.unplannedRebalances === 0)).toBe(true);
  return result;
}

describe('offsets stored with the results, on a real broker', () => {
  test('the-right-way, 2 partitions: the same crash repeats effects only where offsets and results are apart', async () => {
    // Crash after message 237 (37 into batch 3): every row is redelivered the 37 unsaved
    // messages; only the separate checkpoint file and the side log outside the snapshot repeat them.
    const result = await run('the-right-way', { partitions: 2 });
    expect(counts(result)).toEqual({
      'file-checkpoint': { lost: 0, duplicated: 37, redelivered: 37 },
      'atomic-store': { lost: 0, duplicated: 0, redelivered: 37 },
      'atomic-store+kafka': { lost: 0, duplicated: 0, redelivered: 37 },
      'idempotent-sink': { lost: 0, duplicated: 0, redelivered: 37 },
      'state-snapshot': { lost: 0, duplicated: 37, redelivered: 37 },
      'kafka-transactions': { lost: 0, duplicated: 0, redelivered: 37 },
    });
    // The snapshot's state is checked against what was produced, not against the process.
    expect(result.strategies.find((s) => s.name === 'state-snapshot')!.effectStore?.state?.matches).toBe(true);
    expect(result.matchesPrediction).toBe(true);
  });

  // The four runs are independent (each its own topic and groups): side by side, like `all`.
  test.concurrent.each(['before-process', 'mid-batch', 'during-save', 'after-save'] as const)(
    'atomic-store, kafka-transactions and idempotent-sink: 0 lost, 0 duplicated effects when killed %s',
    async (point: CrashPointName) => {
      // 3 partitions, batches of 40, the crash at message 100 (the save after it for the save
      // points): whatever the point, no result is lost or written twice.
      const scenario = defineScenario({
        name: `right-way-${point}`,
        summary: { en: point, zh: point },
        knobs: { messages: { default: 600 }, partitions: { default: 3 }, batch: { default: 40 } },
        instances: ['atomic-store', 'kafka-transactions', 'idempotent-sink'],
        faults: () => [killAt({ point, atProcessed: point === 'during-save' || point === 'after-save' ? 120 : 100 })],
        predict: () => ({}),
        lesson: () => [],
      });
      const result = await runScenario(scenario, scenario.defaults, { broker: sharedBroker(), resultsRoot });
      for (const row of result.strategies) {
        expect({ row: row.name, lost: row.lost, duplicated: row.duplicated, restarts: row.restarts }).toEqual({ row: row.name, lost: 0, duplicated: 0, restarts: 1 });
      }
    },
  );
});
