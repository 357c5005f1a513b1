import { expect, test } from 'vitest';
import type { HistoryEvent } from '../../src/history/events.ts';
import { groupsOf, lastSaved, type GroupView } from '../../src/kafka/group-view.ts';
import { describeGroupView } from '../../src/report/kafka-view.ts';

const view = (over: Partial<GroupView>): GroupView => ({ row: 'r', group: 'g', committed: {}, end: { 0: 1000 }, lag: null, believed: null, ...over });

test('committed offsets and lag as the broker reports them, next to what the strategy believes', () => {
  const manual = view({ committed: { 0: 200 }, lag: 800, believed: { via: 'kafka-commit', positions: { 0: 200 } } });
  expect(describeGroupView(manual, 'en')).toBe('Kafka: committed 200 of 1000, lag 800 · its last commit says 200');
  expect(describeGroupView(manual, 'zh')).toBe('Kafka：已提交 200 / 1000，积压 800 · 它最后一次提交记录 200');
  const file = view({ believed: { via: 'checkpoint-file', positions: { 0: 1000 } } });
  expect(describeGroupView(file, 'en')).toBe('Kafka: no commit (the file says 1000)');
  expect(describeGroupView(view({}), 'en')).toBe('Kafka: no commit');
});

test('partitions without a commit are named; sums run over partitions', () => {
  const partial = view({ committed: { 0: 500 }, end: { 0: 500, 1: 500 }, lag: 0 });
  expect(describeGroupView(partial, 'en')).toBe('Kafka: committed 500 of 1000, lag 0 (no commit on partition 1)');
});

test('what the strategy believes: the last save per partition of the group members, by time', () => {
  const events: HistoryEvent[] = [
    { kind: 'saved', strategy: 'a#2', incarnation: 1, via: 'kafka-commit', positions: { 1: 300 }, time: 3 },
    { kind: 'saved', strategy: 'a#1', incarnation: 1, via: 'kafka-commit', positions: { 0: 100, 1: 100 }, time: 1 },
    { kind: 'saved', strategy: 'other', incarnation: 1, via: 'checkpoint-file', positions: { 0: 999 }, time: 4 },
  ];
  expect(lastSaved(events, ['a#1', 'a#2'])).toEqual({ via: 'kafka-commit', positions: { 0: 100, 1: 300 } });
  expect(lastSaved(events, ['nobody'])).toBeNull();
  expect(groupsOf([{ name: 'a#1', row: 'a', groupId: 'g' }, { name: 'a#2', row: 'a', groupId: 'g' }, { name: 'b', row: 'b', groupId: 'h' }])).toEqual([
    { row: 'a', group: 'g', instances: ['a#1', 'a#2'] },
    { row: 'b', group: 'h', instances: ['b'] },
  ]);
});

test('with a crash: what Kafka reported once the processes had died, then after the run', async () => {
  const { kafkaViewLines } = await import('../../src/report/kafka-view.ts');
  const atCrash = view({ group: 'g1', row: 'manual-commit', committed: { 0: 200 }, lag: 800, believed: { via: 'kafka-commit', positions: { 0: 200 } } });
  const after = view({ group: 'g1', row: 'manual-commit', committed: { 0: 1000 }, lag: 0, believed: { via: 'kafka-commit', positions: { 0: 1000 } } });
  const result = { kafka: [after], kafkaAtCrash: [atCrash] } as unknown as import('../../src/runner/run-result.ts').RunResult;
  expect(kafkaViewLines(result, 'en')).toEqual([
    {
      row: 'manual-commit',
      group: 'g1',
      lines: ['at the crash: Kafka: committed 200 of 1000, lag 800 · its last commit says 200', 'after the run: Kafka: committed 1000 of 1000, lag 0 · its last commit says 1000'],
    },
  ]);
  expect(kafkaViewLines({ kafka: [after] } as never, 'zh')[0]!.lines).toEqual(['Kafka：已提交 1000 / 1000，积压 0 · 它最后一次提交记录 1000']);
});
