import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { check, type CheckInput } from '../../src/checker/check.ts';
import type { HistoryEvent, Positions } from '../../src/history/events.ts';

/** Messages seq 1..n, message n on partition (n−1) mod P, as the producer writes them. */
function produced(n: number, partitions: number): Array<Extract<HistoryEvent, { kind: 'produced' }>> {
  const next = new Array<number>(partitions).fill(0);
  return Array.from({ length: n }, (_, i) => {
    const partition = i % partitions;
    return { kind: 'produced', partition, offset: next[partition]!++, seq: i + 1 } as const;
  });
}
const started = (strategy: string, incarnation: number): HistoryEvent => ({ kind: 'started', strategy, incarnation, pid: 1, time: 0 });
const joined = (strategy: string, incarnation: number, partitions: number[]): HistoryEvent => ({ kind: 'joined', strategy, incarnation, partitions, resumeFrom: {}, time: 0 });
const crash = (strategy: string, incarnation: number): HistoryEvent => ({ kind: 'crash', strategy, incarnation, point: 'mid-batch', processedInIncarnation: 0, time: 0 });
const survived = (strategy: string, positions: Positions): HistoryEvent => ({ kind: 'survived', strategy, incarnation: 1, source: 'kafka', positions, time: 0 });
const savedEvent = (strategy: string, positions: Positions, incarnation = 1): HistoryEvent => ({ kind: 'saved', strategy, incarnation, via: 'kafka-commit', positions, time: 0 });
const deliver = (strategy: string, incarnation: number, { partition, offset, seq }: { partition: number; offset: number; seq: number }): HistoryEvent => ({
  kind: 'processed', strategy, incarnation, partition, offset, seq,
});
const ends = (events: readonly HistoryEvent[], partitions: number): Positions => {
  const end: Positions = Object.fromEntries(Array.from({ length: partitions }, (_, p) => [p, 0]));
  for (const e of events) if (e.kind === 'produced') end[e.partition] = Math.max(end[e.partition]!, e.offset + 1);
  return end;
};
const zeros = (partitions: number): Positions => Object.fromEntries(Array.from({ length: partitions }, (_, p) => [p, 0]));
const input = (events: HistoryEvent[], partitions: number, extra: Partial<CheckInput> = {}): CheckInput => ({
  claims: { s: 'at-least-once' }, events, logStartOffsets: zeros(partitions), endOffsets: ends(events, partitions), ...extra,
});

describe('check: what the first checker tests did not cover', () => {
  test('several partitions: lost and duplicated per message, whatever the partition', () => {
    const all = produced(9, 3);
    const events = [...all, started('s', 1), ...all.filter((e) => e.seq !== 5).map((e) => deliver('s', 1, e)), deliver('s', 1, all[7]!)];
    const [s] = check(input(events, 3)).strategies;
    expect(s).toMatchObject({ lost: 1, duplicated: 1, lostSeqs: [5], duplicatedSeqs: [{ seq: 8, times: 2 }], observed: 'neither' });
  });

  test('a group row counts a message once whichever member processed it, and sums its members\' crash windows', () => {
    const all = produced(8, 2);
    const events: HistoryEvent[] = [
      ...all, started('a', 1), joined('a', 1, [0]), started('b', 1), joined('b', 1, [1]),
      ...all.filter((e) => e.partition === 0 && e.offset < 3).map((e) => deliver('a', 1, e)), crash('a', 1),
      survived('a', { 0: 2, 1: 4 }), // the group's commits: b's partition too, which a never held
      ...all.filter((e) => e.partition === 1).map((e) => deliver('b', 1, e)),
      ...all.filter((e) => e.partition === 0 && e.offset >= 2).map((e) => deliver('b', 1, e)),
    ];
    const [g] = check(input(events, 2, { claims: { g: 'at-least-once' }, members: { g: ['a', 'b'] } })).strategies;
    expect(g).toMatchObject({ strategy: 'g', lost: 0, duplicated: 1, duplicatedSeqs: [{ seq: 5, times: 2 }] });
    // only a's own partition counts in its window: processed to 3, survived 2
    expect(g!.crashes).toEqual([{ incarnation: 1, processedNotSaved: 1, savedNotProcessed: 0 }]);
  });

  test('crash windows come from what survived, not from what the dead process said it saved', () => {
    const all = produced(10, 1);
    const events: HistoryEvent[] = [
      ...all, started('s', 1), joined('s', 1, [0]), ...all.slice(0, 6).map((e) => deliver('s', 1, e)),
      savedEvent('s', { 0: 5 }), crash('s', 1), survived('s', { 0: 3 }), // the commit of 5 never landed
      started('s', 2), ...all.slice(3).map((e) => deliver('s', 2, e)),
    ];
    const [s] = check(input(events, 1)).strategies;
    expect(s!.crashes).toEqual([{ incarnation: 1, processedNotSaved: 3, savedNotProcessed: 0 }]);
    expect(s!.duplicated).toBe(3);
  });

  test('several crashes of one instance: one window each', () => {
    const all = produced(10, 1);
    const events: HistoryEvent[] = [
      ...all, started('s', 1), ...all.slice(0, 4).map((e) => deliver('s', 1, e)), savedEvent('s', { 0: 2 }), crash('s', 1),
      started('s', 2), ...all.slice(2, 7).map((e) => deliver('s', 2, e)), savedEvent('s', { 0: 6 }, 2), crash('s', 2),
      started('s', 3), ...all.slice(6).map((e) => deliver('s', 3, e)),
    ];
    const [s] = check(input(events, 1)).strategies;
    expect(s!.crashes).toEqual([
      { incarnation: 1, processedNotSaved: 2, savedNotProcessed: 0 },
      { incarnation: 2, processedNotSaved: 1, savedNotProcessed: 0 },
    ]);
    expect(s).toMatchObject({ restarts: 2, duplicated: 3, lost: 0 });
  });

  test('retention: never processed and deleted counts for retention, unless the strategy had already skipped past it', () => {
    const all = produced(10, 1);
    const base = [...all, started('s', 1), ...all.slice(0, 2).map((e) => deliver('s', 1, e)), crash('s', 1)];
    const after = [started('s', 2), ...all.slice(6).map((e) => deliver('s', 2, e))];
    const deleted = { deletedBefore: { 0: 6 } };
    // survived at 2: 2..5 were still ahead of the strategy when deleted: retention
    expect(check(input([...base, survived('s', { 0: 2 }), ...after], 1, deleted)).strategies[0]).toMatchObject({ lost: 0, lostByRetention: 4 });
    // survived at 4 (committed ahead of the work): 2 and 3 were skipped by the strategy first
    expect(check(input([...base, survived('s', { 0: 4 }), ...after], 1, deleted)).strategies[0]).toMatchObject({ lost: 2, lostByRetention: 2, lostSeqs: [3, 4] });
  });

  test('a delivery whose seq differs from the produced one makes the row unknown, named', () => {
    const all = produced(3, 1);
    const events = [...all, started('s', 1), deliver('s', 1, all[0]!), deliver('s', 1, { ...all[1]!, seq: 99 }), deliver('s', 1, all[2]!)];
    const result = check(input(events, 1));
    expect(result.verdict).toBe('unknown');
    expect(result.strategies[0]!.problems).toEqual(['delivered 0:1 with seq 99, produced with seq 2']);
  });

  test('the topic holding more than was recorded (a torn last produced line) makes the run unknown', () => {
    const all = produced(5, 1).slice(0, 4); // the fifth produced line was torn away
    const events = [...all, started('s', 1), ...all.map((e) => deliver('s', 1, e))];
    const result = check({ claims: { s: 'at-least-once' }, events, logStartOffsets: { 0: 0 }, endOffsets: { 0: 5 } });
    expect(result.verdict).toBe('unknown');
    expect(result.problems).toEqual(['the topic holds 5 messages but the producer recorded 4']);
  });
});

describe('check: random histories against a plain reference count', () => {
  test('lost, duplicated, processed and delivered match counting by hand', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })), { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        (n, partitions, picks, members) => {
          const all = produced(n, partitions);
          const names = Array.from({ length: members }, (_, i) => `m${i}`);
          const events: HistoryEvent[] = [...all, ...names.map((m) => started(m, 1))];
          const times = new Map<number, number>();
          for (const [pick, member] of picks) {
            const e = all[pick % n]!;
            events.push(deliver(names[(member - 1) % members]!, 1, e));
            times.set(e.seq, (times.get(e.seq) ?? 0) + 1);
          }
          const result = check(input(events, partitions, { claims: { g: 'at-least-once' }, members: { g: names } }));
          const [g] = result.strategies;
          let lost = 0;
          let duplicated = 0;
          for (let seq = 1; seq <= n; seq++) {
            const t = times.get(seq) ?? 0;
            if (t === 0) lost++;
            duplicated += Math.max(0, t - 1);
          }
          expect(result.problems).toEqual([]);
          expect(g).toMatchObject({ lost, duplicated, processed: picks.length, delivered: picks.length, produced: n });
          expect(g!.processed).toBe(n - lost + duplicated);
          expect(g!.verdict).toBe(lost === 0 ? 'valid' : 'invalid');
        },
      ),
      { numRuns: 300 },
    );
  });
});
