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

  test('several partitions: batch-saving strategies still repeat exactly crashAfter', async () => {
    const result = await run({ messages: 600, partitions: 3, batch: 50, crashAfter: 20, crashBatch: 2 });
    const by = Object.fromEntries(result.strategies.map((s) => [s.name, s]));
    // The batch spans all partitions and the save covers every partition, so exactly the 20
    // messages processed since the last save are repeated, whatever the partition interleaving.
    expect(by['manual-commit']).toMatchObject({ lost: 0, duplicated: 20 });
    expect(by['file-checkpoint']).toMatchObject({ lost: 0, duplicated: 20 });
    // auto-commit commits at the end of each partition's fetched batch. Each partition holds 200
    // messages, all fetched at once, so the crash at 70 falls inside the first partition's
    // batch: nothing was committed, all 70 are repeated.
    expect(by['auto-commit']).toMatchObject({ lost: 0, duplicated: 70 });
    expect(by['auto-commit']!.crashes[0]!.processedNotSaved).toBe(70);
  });

  test('auto-commit commits each finished partition batch: a crash in the third repeats only that one', async () => {
    // 3 partitions of 20 messages, all in the first fetch, processed one partition batch after
    // another with a commit after each. The crash at 45 finds two batches (40 messages)
    // committed: the restart repeats 5, whichever partition came first.
    const result = await run({ messages: 60, partitions: 3, batch: 15, crashAfter: 15, crashBatch: 3 });
    const auto = result.strategies.find((s) => s.name === 'auto-commit')!;
    expect(auto).toMatchObject({ lost: 0, duplicated: 5 });
    expect(auto.crashes[0]!.processedNotSaved).toBe(5);
    expect(result.strategies.find((s) => s.name === 'manual-commit')).toMatchObject({ lost: 0, duplicated: 15 });
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
