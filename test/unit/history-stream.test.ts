import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/checker/check.ts';
import { CheckFold } from '../../src/checker/check-fold.ts';
import type { HistoryEvent } from '../../src/history/events.ts';
import { compactHistories } from '../../src/history/compact.ts';
import { eventLine, forEachEvent, JsonlWriter } from '../../src/history/jsonl.ts';
import { forEachRunEvent, perMessageKinds, readRunHistory, runHistoryFiles } from '../../src/history/run-files.ts';
import { buildTimelines, TimelineFold } from '../../src/report/offset-history.ts';
import { crashMidBatchRun } from '../fixtures/report-history.ts';

const dir = mkdtempSync(join(tmpdir(), 'kol-history-stream-'));

/** Writes a run folder the way a run does: the runner's file (produced first) and one file per instance. */
function writeRun(events: readonly HistoryEvent[], instances: readonly string[]): string {
  const run = mkdtempSync(join(dir, 'run-'));
  const runner = new JsonlWriter(join(run, 'history-runner.jsonl'));
  const own = new Map(instances.map((name) => [name, new JsonlWriter(join(run, `history-${name}.jsonl`))]));
  for (const e of events) ('strategy' in e && own.has(e.strategy) && e.kind !== 'survived' && e.kind !== 'exited' ? own.get(e.strategy)! : runner).append(e);
  return run;
}

describe('history files, streamed', () => {
  test('the runner file first, then the instances in the order given, or in name order', () => {
    expect(runHistoryFiles('/r', ['b', 'a x'])).toEqual(['/r/history-runner.jsonl', '/r/history-b.jsonl', '/r/history-a_x.jsonl']);
    const run = writeRun([{ kind: 'fault', description: 'x', time: 1 }], ['zeta', 'alpha']);
    writeFileSync(join(run, 'history-alpha.jsonl'), '');
    writeFileSync(join(run, 'history-zeta.jsonl'), '');
    expect(runHistoryFiles(run).map((f) => f.slice(run.length + 1))).toEqual(['history-runner.jsonl', 'history-alpha.jsonl', 'history-zeta.jsonl']);
  });

  test('per-message lines can be skipped unparsed; a torn one among them is still not an event', () => {
    const path = join(dir, 'skip.jsonl');
    writeFileSync(
      path,
      [
        '{"kind":"produced","partition":0,"offset":0,"seq":1}',
        '{"kind":"processed","strategy":"s","incarnation":1,"partition":0,"offset":0,"seq":1}',
        '{"kind":"drained","strategy":"s","incarnation":1,"time":5}',
      ].join('\n') + '\n',
    );
    const seen: string[] = [];
    expect(forEachEvent(path, (e) => seen.push(e.kind), perMessageKinds)).toEqual({ tornLines: 0, firstProblem: undefined });
    expect(seen).toEqual(['drained']);
    expect(readRunHistory([path]).map((e) => e.kind)).toEqual(['produced', 'processed', 'drained']);
  });

  test('a torn line in any file stops the fold with the file and the line', () => {
    const run = writeRun([{ kind: 'produced', partition: 0, offset: 0, seq: 1 }], ['s']);
    writeFileSync(join(run, 'history-s.jsonl'), '{"kind":"processed","strat\n');
    expect(() => forEachRunEvent(runHistoryFiles(run, ['s']), () => {})).toThrow(`${join(run, 'history-s.jsonl')}: history line 1: `);
  });
});

describe('the checker and the timelines folded from the files equal them computed on the events in memory', () => {
  const { events, result } = crashMidBatchRun();
  const instances = result.strategies.map((s) => s.name);
  const run = writeRun(events, instances);
  const files = runHistoryFiles(run, instances);
  const setup = { claims: Object.fromEntries(instances.map((n) => [n, 'at-least-once' as const])), logStartOffsets: { 0: 0 }, endOffsets: { 0: 1000 } };

  test('check', () => {
    const fold = new CheckFold(setup);
    forEachRunEvent(files, (e) => fold.add(e));
    const streamed = fold.finish();
    expect(streamed).toEqual(check({ ...setup, events }));
    expect(Object.fromEntries(streamed.strategies.map((s) => [s.strategy, [s.lost, s.duplicated]]))).toEqual({
      'auto-commit': [0, 237],
      'manual-commit': [0, 37],
      'file-checkpoint+latest': [763, 0],
    });
  });

  test('timelines', () => {
    const fold = new TimelineFold(result);
    forEachRunEvent(files, (e) => fold.add(e));
    const strip = (rows: ReturnType<typeof buildTimelines>) =>
      rows.map((r) => ({ ...r, cells: Array.from({ length: 1000 }, (_, o) => `${r.times(0, o)}${r.fate(0, o)}`), times: undefined, fate: undefined }));
    expect(strip(fold.finish())).toEqual(strip(buildTimelines(events, result)));
  });
});

describe('the fold names a history it cannot trust', () => {
  const produced = (offset: number): HistoryEvent => ({ kind: 'produced', partition: 0, offset, seq: offset + 1 });
  const setup = { claims: { s: 'at-least-once' as const }, logStartOffsets: { 0: 0 }, endOffsets: { 0: 2 } };

  test('a produced event after the consumers\' events', () => {
    const fold = new CheckFold(setup);
    for (const e of [produced(0), { kind: 'started', strategy: 's', incarnation: 1, pid: 1, time: 0 }, produced(1)] as HistoryEvent[]) fold.add(e);
    expect(fold.finish().problems).toEqual(['a produced event follows consumer events: the history is out of order']);
  });

  test('a produced message at an offset the topic does not hold', () => {
    const result = check({ ...setup, events: [produced(0), produced(1), produced(2)] });
    expect(result.verdict).toBe('unknown');
    expect(result.problems).toEqual(['the topic holds 2 messages but the producer recorded 3', 'a produced message recorded at 0:2, an offset the topic does not hold']);
  });
});

describe('the processed line written field by field', () => {
  test('is the bytes JSON.stringify gives, for any instance name and numbers', () => {
    for (const strategy of ['auto-commit', 'a "quoted" \\ name', 'é-strategy', 'b']) {
      for (const [incarnation, partition, offset, seq] of [[1, 0, 0, 1], [2, 11, 123_456_789, -1], [1, 3, 9_007_199_254_740_991, 42]]) {
        const event: HistoryEvent = { kind: 'processed', strategy, incarnation: incarnation!, partition: partition!, offset: offset!, seq: seq! };
        expect(eventLine(event)).toBe(JSON.stringify(event) + '\n');
      }
    }
    const other: HistoryEvent = { kind: 'drained', strategy: 'b', incarnation: 1, time: 5 };
    expect(eventLine(other)).toBe(JSON.stringify(other) + '\n');
  });
});

describe('a large run keeps its histories gzipped', () => {
  const { events, result } = crashMidBatchRun();
  const instances = result.strategies.map((s) => s.name);

  test('below the threshold nothing changes; above it every history file is gzipped and reads as the same events', async () => {
    const run = writeRun(events, instances);
    const plain = readRunHistory(runHistoryFiles(run));
    const plainInOrder = readRunHistory(runHistoryFiles(run, instances));
    expect(await compactHistories(run, { aboveBytes: 10 * 1024 * 1024 })).toBeUndefined();
    expect(readdirSync(run).filter((f) => f.endsWith('.gz'))).toEqual([]);

    const sizes = await compactHistories(run, { aboveBytes: 1 });
    expect(sizes!.after).toBeLessThan(sizes!.before / 5);
    expect(readdirSync(run).sort()).toEqual(['history-runner.jsonl', ...instances.map((n) => `history-${n}.jsonl`)].map((f) => `${f}.gz`).sort());
    // Both ways of naming a run's files find them: the instances given, or the folder listed.
    expect(readRunHistory(runHistoryFiles(run, instances))).toEqual(plainInOrder);
    expect(readRunHistory(runHistoryFiles(run))).toEqual(plain);
    expect(runHistoryFiles(run).every((f) => !existsSync(f) && existsSync(`${f}.gz`))).toBe(true);
  });

  test('a torn line in a gzipped file is still found and named', () => {
    const run = writeRun([{ kind: 'produced', partition: 0, offset: 0, seq: 1 }], []);
    writeFileSync(join(run, 'history-s.jsonl.gz'), gzipSync('{"kind":"processed","strat\n'));
    expect(() => forEachRunEvent(runHistoryFiles(run), () => {})).toThrow(`${join(run, 'history-s.jsonl.gz')}: history line 1: `);
  });
});
