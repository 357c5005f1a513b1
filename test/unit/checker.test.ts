import { describe, expect, test } from 'vitest';
import { check, type CheckInput } from '../../src/checker/check.ts';
import type { HistoryEvent } from '../../src/history/events.ts';

/** Hand-built histories: one partition, messages seq 1..n at offsets 0..n-1. */
const produced = (n: number): HistoryEvent[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'produced', partition: 0, offset: i, seq: i + 1 }) as const);
const started = (strategy: string, incarnation: number): HistoryEvent => ({ kind: 'started', strategy, incarnation, pid: 1, time: 0 });
const processed = (strategy: string, incarnation: number, offsets: number[]): HistoryEvent[] =>
  offsets.map((offset) => ({ kind: 'processed', strategy, incarnation, partition: 0, offset, seq: offset + 1 }));
const saved = (strategy: string, incarnation: number, next: number): HistoryEvent => ({
  kind: 'saved', strategy, incarnation, via: 'kafka-commit', positions: { 0: next }, time: 0,
});
const crash = (strategy: string, incarnation: number): HistoryEvent => ({
  kind: 'crash', strategy, incarnation, point: 'mid-batch', processedInIncarnation: 0, time: 0,
});

const input = (events: HistoryEvent[], claims: CheckInput['claims'] = { s: 'at-least-once' }, end = 10): CheckInput => ({
  claims, events, logStartOffsets: { 0: 0 }, endOffsets: { 0: end },
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('check', () => {
  test('every message once: exactly once, claim held', () => {
    const result = check(input([...produced(10), started('s', 1), ...processed('s', 1, range(0, 10))]));
    expect(result.verdict).toBe('valid');
    expect(result.strategies[0]).toMatchObject({ processed: 10, lost: 0, duplicated: 0, observed: 'exactly-once', restarts: 0 });
  });

  test('a replay after a crash counts extra processings as duplicates, not disorder', () => {
    const events = [
      ...produced(10), started('s', 1), ...processed('s', 1, range(0, 5)), saved('s', 1, 3), crash('s', 1),
      started('s', 2), ...processed('s', 2, range(3, 10)),
    ];
    const [s] = check(input(events)).strategies;
    expect(s).toMatchObject({ processed: 12, lost: 0, duplicated: 2, outOfOrder: 0, restarts: 1, observed: 'at-least-once', verdict: 'valid' });
    expect(s!.duplicatedSeqs).toEqual([{ seq: 4, times: 2 }, { seq: 5, times: 2 }]);
    expect(s!.crashes).toEqual([{ incarnation: 1, processedNotSaved: 2, savedNotProcessed: 0 }]);
  });

  test('a message processed three times adds two duplicates', () => {
    const events = [...produced(2), started('s', 1), ...processed('s', 1, [0, 1]), started('s', 2), ...processed('s', 2, [0]), started('s', 3), ...processed('s', 3, [0])];
    expect(check(input(events, undefined, 2)).strategies[0]).toMatchObject({ duplicated: 2, duplicatedSeqs: [{ seq: 1, times: 3 }] });
  });

  test('saved before processing, then killed: the skipped messages are lost and break an at-least-once claim', () => {
    const events = [...produced(10), started('s', 1), ...processed('s', 1, range(0, 4)), saved('s', 1, 6), crash('s', 1), started('s', 2), ...processed('s', 2, range(6, 10))];
    const [s] = check(input(events)).strategies;
    expect(s).toMatchObject({ lost: 2, lostSeqs: [5, 6], duplicated: 0, observed: 'at-most-once', verdict: 'invalid' });
    expect(s!.crashes).toEqual([{ incarnation: 1, processedNotSaved: 0, savedNotProcessed: 2 }]);
  });

  test('an at-most-once claim is broken by a duplicate and kept by a loss', () => {
    const dup = [...produced(2), started('s', 1), ...processed('s', 1, [0, 1, 1])];
    expect(check(input(dup, { s: 'at-most-once' }, 2)).strategies[0]!.verdict).toBe('invalid');
    const loss = [...produced(2), started('s', 1), ...processed('s', 1, [1])];
    expect(check(input(loss, { s: 'at-most-once' }, 2)).strategies[0]!.verdict).toBe('valid');
  });

  test('going backwards inside one process lifetime is out of order', () => {
    const events = [...produced(3), started('s', 1), ...processed('s', 1, [0, 2, 1])];
    expect(check(input(events, undefined, 3)).strategies[0]!.outOfOrder).toBe(1);
  });

  test('a processed message that was never produced makes the result unknown, not a lesson', () => {
    const events = [...produced(2), started('s', 1), ...processed('s', 1, [0, 1, 7])];
    const result = check(input(events, undefined, 2));
    expect(result.verdict).toBe('unknown');
    expect(result.strategies[0]!.problems[0]).toMatch(/never produced/);
  });

  test('a topic holding more messages than the producer recorded is reported', () => {
    const result = check(input([...produced(2)], {}, 5));
    expect(result.verdict).toBe('unknown');
    expect(result.problems[0]).toMatch(/holds 5 messages but the producer recorded 2/);
  });

  test('strategies are counted independently', () => {
    const events = [...produced(3), started('a', 1), ...processed('a', 1, [0, 1, 2]), started('b', 1), ...processed('b', 1, [0, 1])];
    const result = check(input(events, { a: 'at-least-once', b: 'at-least-once' }, 3));
    expect(result.strategies.map((s) => [s.strategy, s.lost])).toEqual([['a', 0], ['b', 1]]);
    expect(result.verdict).toBe('invalid');
  });
});
