import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { HistoryEvent } from '../../src/history/events.ts';
import { JsonlWriter } from '../../src/history/jsonl.ts';
import { RunWatch } from '../../src/runner/run-watch.ts';

function watchWithHistory() {
  const dir = mkdtempSync(join(tmpdir(), 'run-watch-'));
  const own = new JsonlWriter(join(dir, 'history-a.jsonl'));
  let now = 10_000;
  const texts: string[] = [];
  const events: HistoryEvent[] = [];
  const watch = new RunWatch({
    historyPathOf: (name) => (name === 'a' ? own.path : undefined),
    onProgress: (text) => texts.push(text),
    onEvent: (event) => events.push(event),
    now: () => now,
  });
  return { watch, own, texts, events, tick: (ms: number) => (now += ms) };
}

test('per-consumer counts while consuming, and how each process ended', () => {
  const { watch, texts } = watchWithHistory();
  watch.message('a', { type: 'progress', processed: 25 });
  watch.message('b', { type: 'progress', processed: 50 });
  expect(texts.at(-1)).toBe('a 25 · b 50');
  watch.runnerEvent({ kind: 'exited', strategy: 'b', incarnation: 1, code: 0, signal: null, time: 1 });
  expect(texts.at(-1)).toBe('a 25 · b ✓ done');
  watch.runnerEvent({ kind: 'exited', strategy: 'a', incarnation: 1, code: null, signal: 'SIGKILL', time: 1 });
  expect(texts.at(-1)).toBe('a ✕ killed · b ✓ done');
});

test('a restarted consumer counts down the dead member session from the kill, until it joins', () => {
  const { watch, texts, tick } = watchWithHistory();
  watch.runnerEvent({ kind: 'exited', strategy: 'a', incarnation: 1, code: null, signal: 'SIGKILL', time: 10_000 });
  watch.phase();
  tick(1000);
  watch.restarting('a', 3000);
  expect(texts.at(-1)).toBe("a ⏳ waits 2.0 s for the killed member's session");
  tick(2500);
  expect(watch.text()).toBe('a ⏳ rejoining the group');
  watch.message('a', { type: 'joined', partitions: [0] });
  expect(texts.at(-1)).toBe('a 0');
  watch.stopTicking();
});

test('a clean exit leaves no session to wait for', () => {
  const { watch, texts } = watchWithHistory();
  watch.runnerEvent({ kind: 'exited', strategy: 'a', incarnation: 1, code: 0, signal: null, time: 10_000 });
  watch.phase();
  const before = texts.length;
  watch.restarting('a', 3000);
  expect(texts.length).toBe(before);
});

test('events: the crash read from the process history before its exit, and a restart resume point', () => {
  const { watch, own, events } = watchWithHistory();
  own.append({ kind: 'joined', strategy: 'a', incarnation: 1, partitions: [0], resumeFrom: { 0: 0 }, time: 1 });
  watch.message('a', { type: 'joined', partitions: [0] });
  expect(events).toEqual([]); // a first join is no resume point
  own.append({ kind: 'crash', strategy: 'a', incarnation: 1, point: 'mid-batch', processedInIncarnation: 237, time: 2 });
  const exit: HistoryEvent = { kind: 'exited', strategy: 'a', incarnation: 1, code: null, signal: 'SIGKILL', time: 3 };
  watch.runnerEvent(exit);
  expect(events.map((e) => e.kind)).toEqual(['crash', 'exited']);
  own.append({ kind: 'joined', strategy: 'a', incarnation: 2, partitions: [0], resumeFrom: { 0: 200 }, time: 4 });
  watch.message('a', { type: 'joined', partitions: [0] });
  expect(events.at(-1)).toMatchObject({ kind: 'joined', incarnation: 2, resumeFrom: { 0: 200 } });
  watch.runnerEvent({ kind: 'fault', description: 'deleted checkpoint-a.json', time: 5 });
  expect(events.at(-1)).toMatchObject({ kind: 'fault' });
});
