import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BoundaryError,
  formatCheckpointFile,
  parseCheckpointFile,
  parseChildConfig,
  parseChildMessage,
  parseHistoryLine,
  parseSupervisorMessage,
} from '../../src/boundary/parse.ts';
import type { ChildConfig } from '../../src/consumer/protocol.ts';
import type { HistoryEvent } from '../../src/history/events.ts';
import { JsonlWriter, readJsonl } from '../../src/history/jsonl.ts';

const config: ChildConfig = {
  choice: { strategy: 'file-checkpoint', options: { write: 'atomic', fallback: 'latest', checkpointFile: 'shared.json' } },
  client: 'kafkajs',
  instance: 'atomic',
  row: 'atomic',
  incarnation: 1,
  brokers: ['127.0.0.1:9092'],
  topic: 'lab-topic',
  groupId: 'lab-group',
  workDir: '/tmp/run',
  historyPath: '/tmp/run/history-atomic.jsonl',
  batchSize: 100,
  triggers: [
    { id: 't1', point: 'during-save', atProcessed: 300, action: 'die' },
    { id: 't2', point: 'joined', action: 'hold' },
    { id: 't3', point: 'mid-batch', atProcessed: 300, action: 'hold', record: 'frozen' },
    { id: 't4', point: 'mid-batch', atProcessed: 37, action: 'die', liveHold: true },
  ],
  drainTo: { 0: 1000, 1: 998 },
  logStart: { 0: 0, 1: 0 },
  sessionTimeoutMs: 3000,
  heartbeatIntervalMs: 300,
  retryWindowMs: 13_000,
  securityFromEnv: false,
};
const configWith = (change: Record<string, unknown>) => JSON.stringify({ ...config, ...change });

describe('child config', () => {
  test('round-trips, with every strategy and no options', () => {
    expect(parseChildConfig(JSON.stringify(config))).toEqual(config);
    for (const strategy of ['auto-commit', 'manual-commit', 'file-checkpoint', 'atomic-store', 'idempotent-sink', 'state-snapshot', 'kafka-transactions'] as const) {
      const plain = { ...config, choice: { strategy }, outputTopic: 'out' };
      expect(parseChildConfig(JSON.stringify(plain))).toEqual(plain);
    }
    const manual = { ...config, choice: { strategy: 'manual-commit', options: { commitOrder: 'before-process', commitOffset: 'processed' } } };
    expect(parseChildConfig(JSON.stringify(manual))).toEqual(manual);
  });

  test.each([
    ['{"choice":', /^child config: not JSON/],
    ['[]', 'child config: must be a JSON object, got []'],
    [configWith({ choice: { strategy: 'exactly-once' } }), 'child config: unknown strategy "exactly-once" in field "choice.strategy" (known: auto-commit, manual-commit, file-checkpoint, atomic-store, idempotent-sink, state-snapshot, kafka-transactions)'],
    [configWith({ choice: { strategy: 'manual-commit', options: { write: 'atomic' } } }), 'child config: unknown option "write" of strategy "manual-commit" in field "choice.options.write" (its options: commitOrder, commitOffset)'],
    [configWith({ choice: { strategy: 'file-checkpoint', options: { write: 'fast' } } }), 'child config: field "choice.options.write" must be one of "in-place", "atomic", got "fast"'],
    [configWith({ choice: { strategy: 'file-checkpoint', options: { checkpointFile: '../x.json' } } }), 'child config: field "choice.options.checkpointFile" must be a file name without a folder, got "../x.json"'],
    [configWith({ choice: 'auto-commit' }), 'child config: field "choice" must be an object, got "auto-commit"'],
    [configWith({ triggers: [{ id: 't', point: 'mid-batch', atProcessed: 3, action: 'hold', record: 'asleep' }] }), 'child config: field "triggers[0].record" must be one of "frozen", got "asleep"'],
    [configWith({ batchSize: 0 }), 'child config: field "batchSize" must be a whole number ≥ 1, got 0'],
    [configWith({ incarnation: '2' }), 'child config: field "incarnation" must be a whole number ≥ 1, got "2"'],
    [configWith({ brokers: [] }), 'child config: field "brokers" must be a non-empty array of strings, got []'],
    [configWith({ brokers: ['a', 9092] }), 'child config: field "brokers[1]" must be a string, got 9092'],
    [configWith({ topic: undefined }), 'child config: field "topic" must be a non-empty string, got nothing'],
    [configWith({ securityFromEnv: 'no' }), 'child config: field "securityFromEnv" must be true or false, got "no"'],
    [configWith({ drainTo: { 0: -1 } }), 'child config: drainTo["0"]: offset must be a whole number, got -1'],
    [configWith({ triggers: [{ id: 't', point: 'mid-batch', action: 'die' }] }), 'child config: field "triggers[0].atProcessed" must be a whole number ≥ 1, got nothing'],
    [configWith({ triggers: [{ id: 't', point: 'mid-save', atProcessed: 3, action: 'die' }] }), /field "triggers\[0\]\.point" must be one of "joined", .*, got "mid-save"/],
    [configWith({ triggers: [{ id: 't', point: 'joined', action: 'hold', when: 1 }] }), 'child config: unknown field "triggers[0].when"'],
    [configWith({ crash: { point: 'mid-batch' } }), 'child config: unknown field "crash"'],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseChildConfig(text)).toThrow(BoundaryError);
    expect(() => parseChildConfig(text)).toThrow(message);
  });
});

describe('IPC messages', () => {
  test('round-trip', () => {
    for (const message of [
      { type: 'joined', partitions: [0, 2] },
      { type: 'progress', processed: 17 },
      { type: 'reached', trigger: 't1' },
      { type: 'reached', trigger: 't1', partitions: [1] },
      { type: 'harness-artifact', message: 'seek raced the first fetch' },
    ]) {
      expect(parseChildMessage(structuredClone(message))).toEqual(message);
    }
    expect(parseSupervisorMessage({ type: 'continue', trigger: 't1' })).toEqual({ type: 'continue', trigger: 't1' });
  });

  test.each([
    [() => parseChildMessage(null), 'message from a strategy process: must be a JSON object, got null'],
    [() => parseChildMessage({ type: 'hold' }), 'message from a strategy process: field "type" must be one of "joined", "progress", "reached", "harness-artifact", "idle", got "hold"'],
    [() => parseChildMessage({ type: 'progress', processed: 1.5 }), 'field "processed" must be a whole number, got 1.5'],
    [() => parseChildMessage({ type: 'joined', partitions: [0, 'x'] }), 'field "partitions[1]" must be a whole number, got "x"'],
    [() => parseChildMessage({ type: 'progress', processed: 1, extra: true }), 'unknown field "extra" (not a field of a "progress" message)'],
    [() => parseSupervisorMessage({ type: 'go' }), 'message from the supervisor: field "type" must be one of "continue", got "go"'],
    [() => parseSupervisorMessage({ type: 'continue' }), 'message from the supervisor: field "trigger" must be a non-empty string, got nothing'],
  ])('%s is refused', (parse, message) => {
    expect(parse).toThrow(BoundaryError);
    expect(parse).toThrow(message);
  });
});

const events: HistoryEvent[] = [
  { kind: 'produced', partition: 0, offset: 12, seq: 13 },
  { kind: 'started', strategy: 'atomic', incarnation: 1, pid: 4242, time: 1_700_000_000_000 },
  { kind: 'joined', strategy: 'atomic', incarnation: 2, partitions: [0, 1], resumeFrom: { 0: 300, 1: 0 }, time: 1 },
  { kind: 'processed', strategy: 'atomic', incarnation: 1, partition: 1, offset: 5, seq: -1 },
  { kind: 'saved', strategy: 'atomic', incarnation: 1, via: 'checkpoint-file', positions: { 0: 300 }, time: 2 },
  { kind: 'crash', strategy: 'atomic', incarnation: 1, point: 'during-save', processedInIncarnation: 300, time: 3 },
  { kind: 'fallback', strategy: 'atomic', incarnation: 2, reason: 'unreadable', detail: 'not JSON', policy: 'latest', time: 4 },
  { kind: 'fallback', strategy: 'atomic', incarnation: 2, reason: 'missing', policy: 'earliest', time: 4 },
  { kind: 'save-failed', strategy: 'zombie', incarnation: 1, positions: {}, error: 'fenced', time: 5 },
  { kind: 'frozen', strategy: 'zombie', incarnation: 1, processedInIncarnation: 50, time: 6 },
  { kind: 'fault', description: 'deleted checkpoint.json', time: 7 },
  { kind: 'drained', strategy: 'atomic', incarnation: 2, time: 8 },
  { kind: 'exited', strategy: 'atomic', incarnation: 1, code: null, signal: 'SIGKILL', time: 9 },
  { kind: 'exited', strategy: 'atomic', incarnation: 2, code: 0, signal: null, time: 10 },
];

describe('history lines', () => {
  test('every kind round-trips', () => {
    for (const event of events) expect(parseHistoryLine(JSON.stringify(event))).toEqual(event);
  });

  test.each([
    ['{"kind":"processed","strategy":"a","incarn', /^history line 12: not JSON/],
    ['"produced"', 'history line 12: must be a JSON object, got "produced"'],
    ['{"kind":"consumed"}', /^history line 12: field "kind" must be a history event kind \(produced, started, .*\), got "consumed"$/],
    ['{"kind":"produced","partition":0,"offset":"abc","seq":1}', 'history line 12: field "offset" must be a whole number, got "abc"'],
    ['{"kind":"produced","partition":0,"offset":1}', 'history line 12: field "seq" must be a whole number, got nothing'],
    ['{"kind":"started","strategy":"a","incarnation":0,"pid":1,"time":1}', 'history line 12: field "incarnation" must be a whole number ≥ 1, got 0'],
    ['{"kind":"saved","strategy":"a","incarnation":1,"via":"fax","positions":{},"time":1}', /field "via" must be one of "kafka-commit", .*, got "fax"/],
    ['{"kind":"joined","strategy":"a","incarnation":1,"partitions":[0],"resumeFrom":{"p0":1},"time":1}', 'history line 12: resumeFrom["p0"]: partition must be a whole number'],
    ['{"kind":"exited","strategy":"a","incarnation":1,"code":"0","signal":null,"time":1}', 'history line 12: field "code" must be a whole number, got "0"'],
    ['{"kind":"fault","description":"x","time":1,"strategy":"a"}', 'history line 12: unknown field "strategy" (not a field of a "fault" event)'],
  ])('%s is refused', (line, message) => {
    expect(() => parseHistoryLine(line, 12)).toThrow(BoundaryError);
    expect(() => parseHistoryLine(line, 12)).toThrow(message);
  });
});

describe('history files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kol-boundary-'));

  test('a written file reads back; torn and malformed lines are counted, the first named', () => {
    const path = join(dir, 'history.jsonl');
    new JsonlWriter(path).appendMany(events);
    appendFileSync(path, '{"kind":"produced","partition":0,"offset":"abc","seq":1}\n{"kind":"processed","strat');
    const read = readJsonl(path);
    expect(read.events).toEqual(events);
    expect(read.tornLines).toBe(2);
    expect(read.firstProblem).toBe(`${path}: history line ${events.length + 1}: field "offset" must be a whole number, got "abc"`);
  });

  test('a missing file is empty; events gather into the array given', () => {
    const into: HistoryEvent[] = [events[0]!];
    expect(readJsonl(join(dir, 'absent.jsonl'), into)).toEqual({ events: into, tornLines: 0, firstProblem: undefined });
    const path = join(dir, 'two.jsonl');
    new JsonlWriter(path).appendMany(events.slice(1, 3));
    expect(readJsonl(path, into).events).toBe(into);
    expect(into).toEqual(events.slice(0, 3));
  });

  test('300 000 lines read without a stack overflow, lines split across chunks included', () => {
    const path = join(dir, 'large.jsonl');
    const lines: string[] = [];
    for (let seq = 0; seq < 300_000; seq++) lines.push(JSON.stringify({ kind: 'processed', strategy: 'é-strategy', incarnation: 1, partition: 0, offset: seq, seq }));
    writeFileSync(path, lines.join('\n') + '\n');
    const into: HistoryEvent[] = [];
    const read = readJsonl(path, into);
    expect(read.tornLines).toBe(0);
    expect(into).toHaveLength(300_000);
    expect(into[299_999]).toEqual({ kind: 'processed', strategy: 'é-strategy', incarnation: 1, partition: 0, offset: 299_999, seq: 299_999 });
    expect(into.every((e, i) => e.kind === 'processed' && e.offset === i)).toBe(true);
  });
});

describe('checkpoint file', () => {
  test('round-trips', () => {
    const positions = { 0: 300, 1: 0, 12: 7 };
    const text = formatCheckpointFile('lab-topic', positions);
    expect(JSON.parse(text)).toEqual({ topic: 'lab-topic', positions: { '0': 300, '1': 0, '12': 7 } });
    expect(parseCheckpointFile(text, 'lab-topic')).toEqual(positions);
    expect(parseCheckpointFile(formatCheckpointFile('t', {}), 't')).toEqual({});
  });

  test.each([
    ['', 'checkpoint.json: empty file'],
    ['  \n', 'checkpoint.json: empty file'],
    ['{"topic":"lab-topic","posi', /^checkpoint\.json: not JSON \(/],
    ['[1,2]', 'checkpoint.json: must be a JSON object {"topic": …, "positions": {…}}, got [1,2]'],
    ['{"topic":"other","positions":{}}', 'checkpoint.json: field "topic" is "other": a checkpoint of another topic, not of "lab-topic"'],
    ['{"positions":{}}', 'checkpoint.json: field "topic" must be a string, got nothing'],
    ['{"topic":"lab-topic","positions":[300]}', 'checkpoint.json: field "positions" must be an object {"<partition>": nextOffset}, got [300]'],
    ['{"topic":"lab-topic"}', 'checkpoint.json: field "positions" must be an object {"<partition>": nextOffset}, got nothing'],
    ['{"topic":"lab-topic","positions":{"x":1}}', 'checkpoint.json: positions["x"]: partition must be a whole number'],
    ['{"topic":"lab-topic","positions":{"-1":1}}', 'checkpoint.json: positions["-1"]: partition must be a whole number'],
    ['{"topic":"lab-topic","positions":{"0":-5}}', 'checkpoint.json: positions["0"]: offset must be a whole number, got -5'],
    ['{"topic":"lab-topic","positions":{"0":"300"}}', 'checkpoint.json: positions["0"]: offset must be a whole number, got "300"'],
    ['{"topic":"lab-topic","positions":{"0":1.5}}', 'checkpoint.json: positions["0"]: offset must be a whole number, got 1.5'],
    ['{"topic":"lab-topic","positions":{},"saved":1}', 'checkpoint.json: unknown field "saved" (a checkpoint has only "topic" and "positions")'],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseCheckpointFile(text, 'lab-topic')).toThrow(BoundaryError);
    expect(() => parseCheckpointFile(text, 'lab-topic')).toThrow(message);
  });

  test('the message names the file it was given', () => {
    expect(() => parseCheckpointFile('', 't', 'checkpoint-atomic.json')).toThrow('checkpoint-atomic.json: empty file');
  });
});
