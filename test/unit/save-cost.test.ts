import { describe, expect, test } from 'vitest';
import { median, messagesAt, saveCostScenario, saveModes } from '../../src/timing/save-cost.ts';
import { kafkaTransactionNote, renderSaveCost } from '../../src/timing/save-cost-table.ts';

describe('save-cost (a timing measurement)', () => {
  test('median of odd and even counts', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  test('small intervals read fewer messages, never more than asked', () => {
    expect(messagesAt(1, 1000)).toBe(100);
    expect(messagesAt(100, 1000)).toBe(1000);
    expect(messagesAt(1, 50)).toBe(50);
  });
  test('one fault-free, sequential scenario per interval, every mode a row predicted 0/0', () => {
    const s = saveCostScenario(10, 500);
    expect(s.atOnce).toBe(1);
    expect(s.faults(s.defaults)).toEqual([]);
    expect(s.defaults).toEqual({ messages: 500, partitions: 1, batch: 10 });
    expect(Object.keys(s.predict(s.defaults, { client: 'kafkajs' }))).toEqual(saveModes.map((m) => m.name));
  });
  test('the table says the numbers are timings and shows the medians', () => {
    const rows = [1, 100].flatMap((interval) => saveModes.map((m, i) => ({ mode: m.name, interval, messages: 100, perRun: [1], median: interval * 10 + i })));
    const text = renderSaveCost({ kind: 'save-cost', timing: true, messages: 1000, runs: 3, intervals: [1, 100], rows, runResults: [], elapsedMs: 0 }, 'en');
    expect(text).toContain('These are timings');
    expect(text).toMatch(/kafka-commit\s+│ 10\s+│ 1000/);
    expect(text).toContain('kafka-commit: saving every 100 is 100.0× the throughput of saving every 1');
  });
  test("the kafka-transaction row says whose cost it measures (the broker's markers, the Java client's retry wait), in both languages", () => {
    const result = (modes: readonly string[]) => ({
      kind: 'save-cost' as const, timing: true as const, messages: 100, runs: 1, intervals: [1, 100], runResults: [], elapsedMs: 0,
      rows: [1, 100].flatMap((interval) => modes.map((mode) => ({ mode, interval, messages: 100, perRun: [1], median: interval }))),
    });
    for (const lang of ['en', 'zh'] as const) {
      const text = renderSaveCost(result(saveModes.map((m) => m.name)), lang);
      expect(text).toContain(kafkaTransactionNote[lang]);
      expect(kafkaTransactionNote[lang]).toMatch(/CONCURRENT_TRANSACTIONS.*20 ms.*100 ms/);
      expect(renderSaveCost(result(['kafka-commit', 'file-atomic']), lang)).not.toContain('CONCURRENT_TRANSACTIONS');
    }
  });
});
