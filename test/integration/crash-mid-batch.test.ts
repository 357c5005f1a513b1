import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import crashMidBatch from '../../scenarios/crash-mid-batch.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import type { Knobs } from '../../src/runner/scenario.ts';
import { sharedBroker } from './shared-broker.ts';

const resultsRoot = mkdtempSync(join(tmpdir(), 'kol-test-results-'));
const run = (knobs: Partial<Knobs> = {}) =>
  runScenario(crashMidBatch, { ...crashMidBatch.defaults, ...knobs }, { broker: sharedBroker(), resultsRoot });

const counts = (result: Awaited<ReturnType<typeof run>>) =>
  Object.fromEntries(result.strategies.map((s) => [s.name, { lost: s.lost, duplicated: s.duplicated }]));

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('crash-mid-batch on a real broker', () => {
  test('default knobs: exact counts per strategy, explained by where each strategy last saved', async () => {
    const result = await run();
    const by = Object.fromEntries(result.strategies.map((s) => [s.name, s]));
    expect(result.verdict).toBe('valid');
    expect(result.crash).toEqual({ point: 'mid-batch', atProcessed: 237 });

    // manual-commit and file-checkpoint saved after message 200 (end of batch 2) and were
    // killed after message 237: the restart repeats messages 201..237, i.e. crashAfter = 37.
    for (const name of ['manual-commit', 'file-checkpoint']) {
      expect(by[name]).toMatchObject({ produced: 1000, lost: 0, duplicated: 37, processed: 1037, restarts: 1, outOfOrder: 0 });
      expect(by[name]!.duplicatedSeqs.map((d) => d.seq)).toEqual(range(201, 237));
      expect(by[name]!.crashes).toEqual([{ incarnation: 1, processedNotSaved: 37, savedNotProcessed: 0 }]);
    }

    // auto-commit: the 1000 messages came in one fetch and kafkajs commits at the end of a
    // fetched batch or after 5000 ms, so nothing was committed before the crash at 237:
    // the restart starts over at offset 0 and repeats messages 1..237.
    expect(by['auto-commit']).toMatchObject({ produced: 1000, lost: 0, duplicated: 237, processed: 1237, restarts: 1 });
    expect(by['auto-commit']!.duplicatedSeqs.map((d) => d.seq)).toEqual(range(1, 237));
    expect(by['auto-commit']!.crashes).toEqual([{ incarnation: 1, processedNotSaved: 237, savedNotProcessed: 0 }]);

    expect(result.strategies.every((s) => s.unplannedRebalances === 0)).toBe(true);
    expect(result.matchesPrediction).toBe(true);
  });

  test('knobs from the command line change the counts the way the mechanism says', async () => {
    const result = await run({ messages: 300, batch: 40, crashAfter: 5, crashBatch: 2 });
    expect(counts(result)).toEqual({
      'auto-commit': { lost: 0, duplicated: 45 },
      'manual-commit': { lost: 0, duplicated: 5 },
      'file-checkpoint': { lost: 0, duplicated: 5 },
    });
  });

  test('several partitions: batch-saving strategies still repeat exactly crashAfter, auto-commit a bounded amount', async () => {
    const result = await run({ messages: 600, partitions: 3, batch: 50, crashAfter: 20, crashBatch: 2 });
    const by = Object.fromEntries(result.strategies.map((s) => [s.name, s]));
    // The batch spans all partitions and the save covers every partition, so exactly the 20
    // messages processed since the last save are repeated, whatever the partition interleaving.
    expect(by['manual-commit']).toMatchObject({ lost: 0, duplicated: 20 });
    expect(by['file-checkpoint']).toMatchObject({ lost: 0, duplicated: 20 });
    // auto-commit commits at the end of each partition's fetched batch: which partitions were
    // finished before the crash at 70 is timing; it never loses, and repeats at most 70.
    expect(by['auto-commit']!.lost).toBe(0);
    expect(by['auto-commit']!.duplicated).toBeGreaterThanOrEqual(1);
    expect(by['auto-commit']!.duplicated).toBeLessThanOrEqual(70);
    expect(by['auto-commit']!.duplicated).toBe(by['auto-commit']!.crashes[0]!.processedNotSaved);
  });

  test('same scenario, same counts: five runs in a row', async () => {
    const seen: Array<ReturnType<typeof counts>> = [];
    for (let i = 0; i < 5; i++) seen.push(counts(await run()));
    expect(seen).toEqual(Array.from({ length: 5 }, () => seen[0]));
    expect(seen[0]).toEqual({
      'auto-commit': { lost: 0, duplicated: 237 },
      'manual-commit': { lost: 0, duplicated: 37 },
      'file-checkpoint': { lost: 0, duplicated: 37 },
    });
  });
});
