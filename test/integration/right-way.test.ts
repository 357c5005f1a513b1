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

  test('crash-during-save: between results and offsets, and inside the save', async () => {
    // The save after batch 3 (message 300): every row is redelivered batch 3 (100).
    const result = await run('crash-during-save');
    const repeats = { lost: 0, duplicated: 100, redelivered: 100 };
    const once = { lost: 0, duplicated: 0, redelivered: 100 };
    expect(counts(result)).toEqual({
      'file-checkpoint/between': repeats,
      'file-checkpoint/during': repeats,
      'atomic-store/between': once,
      'atomic-store/during': once,
      'idempotent-sink/during': once,
      'kafka-transactions/during': once,
      'state-snapshot/during': repeats,
    });
  });

  test.each(['before-process', 'mid-batch', 'during-save', 'after-save'] as const)(
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

  test('rebalance-right-way: a store the group shares follows the partition to the survivor', async () => {
    // #1 dies after its message 237 (last save 200): the survivor resumes at 200 from the
    // database or the transactions' offsets (37 redelivered, no effect twice); per-instance files
    // replay 237 + 250 − 200 + 3·250 = 1037.
    expect(counts(await run('rebalance-right-way'))).toEqual({
      'file-checkpoint': { lost: 0, duplicated: 1037, redelivered: 1037 },
      'atomic-store': { lost: 0, duplicated: 0, redelivered: 37 },
      'kafka-transactions': { lost: 0, duplicated: 0, redelivered: 37 },
    });
  });

  test('zombie-right-way: the position check and the transactional id refuse the stale save', async () => {
    // #1 frozen right before its save after message 300; #2 resumes at 200 (100 redelivered);
    // the woken zombie's save is refused and its process ends.
    const result = await run('zombie-right-way');
    const by = counts(result);
    expect(by['atomic-store']).toEqual({ lost: 0, duplicated: 0, redelivered: 100 });
    expect(by['kafka-transactions']).toEqual({ lost: 0, duplicated: 0, redelivered: 100 });
    expect(by['file-checkpoint']!.lost).toBe(0);
    expect(by['file-checkpoint']!.duplicated).toBeGreaterThanOrEqual(1800);
    // One transactional id per process: only the group could fence the zombie, and kafkajs sends no membership.
    expect(new Set(result.unsupported?.map((u) => `${u.row} on ${u.client}`))).toEqual(new Set(['kafka-transactions/process-id on kafkajs']));
  });
});
