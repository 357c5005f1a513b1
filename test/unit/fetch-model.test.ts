import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import commitBeforeProcess from '../../scenarios/commit-before-process.ts';
import crashMidBatch from '../../scenarios/crash-mid-batch.ts';
import { resolveKnobs } from '../../src/cli/resolve-knobs.ts';
import { encodeMessage } from '../../src/kafka/messages.ts';
import { fetchRounds, recordBatches } from '../../src/model/fetch-model.ts';
import { unfinishedInRound } from '../../src/model/orders.ts';

const require = createRequire(import.meta.url);

describe('the fetch model', () => {
  test('record batch sizes equal what kafkajs encodes for the same 500 messages', async () => {
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (r: object) => { size(): number };
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: (b: object) => Promise<{ size(): number }> };
    const batches = recordBatches(1_000_000, 1)[0]!;
    for (const index of [0, 19, 165, 1999]) {
      const records = Array.from({ length: 500 }, (_, i) => Record({ offsetDelta: i, timestampDelta: 0, ...encodeMessage(index * 500 + i + 1) }));
      const encoded = await RecordBatch({ records, firstTimestamp: 0, maxTimestamp: 0, producerId: 1, producerEpoch: 0, firstSequence: 0, lastOffsetDelta: 499 });
      expect(batches[index]!.bytes, `batch ${index}`).toBe(encoded.size());
    }
  });

  test('reproduces the fetches measured on the broker (scripts/measure/fetch-boundaries.ts)', () => {
    expect(fetchRounds(100_000, 1).rounds.map((r) => r[0])).toEqual([21_000, 20_500, 20_500, 20_500, 17_500]);
    expect(fetchRounds(70_001, 3).rounds).toEqual([[20_667, 20_667, 20_666], [2667, 2667, 2667]]);
  });

  test('the unfinished partition batch over every order', () => {
    expect(unfinishedInRound([10, 10, 10], 15)).toEqual({ min: 5, max: 5 });
    expect(unfinishedInRound([21, 20, 20], 45)).toEqual({ min: 4, max: 5 });
    expect(unfinishedInRound([5, 30], 20)).toEqual({ min: 15, max: 20 });
  });
});

describe('knob combinations a prediction does not cover are refused with the reason', () => {
  test('crash-mid-batch: a fetch over 10 MiB', () => {
    expect(() => resolveKnobs(crashMidBatch, { messages: 1_000_000, partitions: 64, crashBatch: 9000 })).toThrow(/maxBytes \(10 MiB\)/);
    expect(() => resolveKnobs(crashMidBatch, { messages: 1_000_000, crashBatch: 10_000, crashAfter: 99, batch: 100 })).not.toThrow();
  });

  test('commit-before-process: more than one fetch per partition', () => {
    expect(() => resolveKnobs(commitBeforeProcess, { messages: 100_000 })).toThrow(/more than one fetch per partition/);
  });

  test('crash-mid-batch accepts 1 000 000 messages and predicts auto-commit exactly', () => {
    const k = resolveKnobs(crashMidBatch, { messages: 1_000_000, batch: 1000, crashBatch: 1000, crashAfter: 999 });
    expect(typeof crashMidBatch.predict(k, { client: 'kafkajs' })['auto-commit']!.duplicated).toBe('number');
  });
});
