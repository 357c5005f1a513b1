import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { StartedBroker } from '../../src/broker/broker.ts';
import type { Trigger } from '../../src/consumer/protocol.ts';
import { brokerOutage } from '../../src/faults/broker-outage.ts';
import type { BetweenContext, FaultTarget, LiveContext } from '../../src/faults/fault.ts';
import { freeze } from '../../src/faults/freeze.ts';
import { killAt } from '../../src/faults/kill-at.ts';
import { startLine } from '../../src/faults/start-line.ts';
import { rewind } from '../../src/faults/rewind.ts';
import { deleteRecordsBefore, loseCheckpoint, rewriteCheckpoint } from '../../src/faults/world-changes.ts';
import type { RunResources } from '../../src/kafka/run-resources.ts';

const target = (name: string, row = name): FaultTarget => ({ name, row, groupId: `g-${row}`, choice: { strategy: 'manual-commit' } });
const trigger = (id: string, t: Omit<Trigger, 'id'>): Trigger => ({ id, ...t });

/** A LiveContext that records what a fault does; processes "exit" when the test says so. */
function recordingLive(instances: FaultTarget[], broker: Partial<StartedBroker> = {}) {
  const log: string[] = [];
  const exits = new Map(instances.map((i) => [i.name, Promise.withResolvers<void>()]));
  const finished = new Map(instances.map((i) => [i.name, Promise.withResolvers<void>()]));
  const live: LiveContext = {
    broker: broker as StartedBroker,
    topic: 'kol-topic',
    instances,
    proceed: (instance, t) => log.push(`proceed ${instance} ${t.id}`),
    signal: (instance, signal) => log.push(`${signal} ${instance}`),
    exited: (instance) => exits.get(instance)!.promise,
    finishedItsShare: (instance) => finished.get(instance)!.promise,
    note: (description) => log.push(`note: ${description}`),
    fail: (error) => log.push(`fail: ${String(error)}`),
  };
  return { live, log, exit: (instance: string) => exits.get(instance)!.resolve(), finish: (instance: string) => finished.get(instance)!.resolve() };
}

describe('killAt', () => {
  const fault = killAt({ point: 'mid-batch', atProcessed: 237, instances: ['a'] });
  test('gives a die trigger only to its instances', () => {
    expect(fault.triggers?.(target('a'))).toEqual([{ point: 'mid-batch', atProcessed: 237, action: 'die' }]);
    expect(fault.triggers?.(target('b'))).toEqual([]);
  });
  test('othersFinishFirst: a live hold that dies once the rest of its group has finished its own share', async () => {
    const instances = [target('r#1', 'r'), target('r#2', 'r'), target('other')];
    const waiting = killAt({ point: 'mid-batch', atProcessed: 37, instances: ['r#1'], othersFinishFirst: true });
    expect(waiting.triggers?.(instances[0]!)).toEqual([{ point: 'mid-batch', atProcessed: 37, action: 'die', liveHold: true }]);
    const { live, log, finish } = recordingLive(instances);
    const done = waiting.reached!('r#1', trigger('k1', { point: 'mid-batch', atProcessed: 37, action: 'die', liveHold: true }), live);
    await Promise.resolve();
    expect(log).toEqual([]); // r#2 still works on its share
    finish('r#2'); // 'other' is in another group: not waited for
    await done;
    expect(log).toEqual(['note: r#1 dies at its message 37, the rest of its group having finished its own share', 'proceed r#1 k1']);
    expect(() => killAt({ point: 'during-save', atProcessed: 3, othersFinishFirst: true })).toThrow(/halfway/);
  });
  test('a SIGKILL is the planned death (restart); any other exit is a problem; other instances are not its business', () => {
    expect(fault.judgeExit?.('a', { code: null, signal: 'SIGKILL' })).toBe('restart');
    expect(fault.judgeExit?.('a', { code: 0, signal: null })).toEqual({ problem: expect.stringContaining('before its crash point') });
    expect(fault.judgeExit?.('b', { code: 0, signal: null })).toBeUndefined();
  });
});

describe('freeze', () => {
  test('holds live until the rest of its group finished its share, SIGSTOPs, waits for them to exit, then SIGCONTs and lets it go on', async () => {
    const instances = [target('z#1', 'z'), target('z#2', 'z'), target('other')];
    const fault = freeze({ atProcessed: 300, instances: ['z#1'] });
    expect(fault.triggers?.(instances[0]!)).toEqual([{ point: 'mid-batch', atProcessed: 300, action: 'hold', record: 'frozen', liveHold: true }]);
    const { live, log, exit, finish } = recordingLive(instances);
    const done = fault.reached!('z#1', trigger('t1', { point: 'mid-batch', atProcessed: 300, action: 'hold' }), live);
    await Promise.resolve();
    expect(log).toEqual([]);
    finish('z#2');
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['SIGSTOP z#1', 'note: SIGSTOP z#1 before it saves (frozen: no heartbeats)']);
    exit('z#2'); // 'other' is in another group: not waited for
    await done;
    expect(log.slice(2)).toEqual(['SIGCONT z#1', 'note: SIGCONT z#1 after the rest of its group took over and finished', 'proceed z#1 t1']);
  });
  test('a zombie fenced by Kafka (exit 1) is restarted; a clean exit is done', () => {
    const fault = freeze({ atProcessed: 300, instances: ['z#1'] });
    expect(fault.judgeExit?.('z#1', { code: 1, signal: null })).toBe('restart');
    expect(fault.judgeExit?.('z#1', { code: 0, signal: null })).toBe('done');
    expect(fault.judgeExit?.('z#2', { code: 1, signal: null })).toBeUndefined();
  });
});

describe('brokerOutage', () => {
  test('waits until every instance holds, kills the broker, lets them go on, restarts it', async () => {
    const instances = [target('a'), target('b')];
    const calls: string[] = [];
    const fault = brokerOutage({ atProcessed: 237, downMs: 1 });
    expect(fault.requires).toEqual({ restartableBroker: true });
    const { live, log } = recordingLive(instances, {
      crash: async () => void calls.push('crash'),
      restart: async () => (calls.push('restart'), 1200),
    });
    await fault.reached!('a', trigger('ta', { point: 'mid-batch', atProcessed: 237, action: 'hold' }), live);
    expect(calls).toEqual([]); // b is not holding yet
    await fault.reached!('b', trigger('tb', { point: 'mid-batch', atProcessed: 237, action: 'hold' }), live);
    expect(calls).toEqual(['crash', 'restart']);
    expect(log.filter((l) => l.startsWith('note'))).toEqual(['note: SIGKILL the broker while the consumers run', 'note: broker restarted on the same data, ready after 1.2 s']);
    expect(log.indexOf('proceed a ta')).toBeLessThan(log.indexOf('note: broker restarted on the same data, ready after 1.2 s'));
  });
  test('a broker the harness cannot restart fails the run', async () => {
    const { live, log } = recordingLive([target('a')]);
    await brokerOutage({ atProcessed: 1 }).reached!('a', trigger('t', { point: 'mid-batch', atProcessed: 1, action: 'hold' }), live);
    expect(log.some((l) => l.startsWith('fail: Error: a broker outage needs a broker the harness started'))).toBe(true);
    expect(log).toContain('proceed a t');
  });
});

describe('startLine', () => {
  const instances = [target('m#1', 'm'), target('m#2', 'm'), target('solo')];
  test('holds only members of shared groups at their first assignment', () => {
    const fault = startLine(instances, 4);
    expect(fault.triggers?.(instances[0]!)).toEqual([{ point: 'joined', action: 'hold' }]);
    expect(fault.triggers?.(instances[2]!)).toEqual([]);
  });
  test('lets the group go only when every member waits with work and the partitions are split exactly', () => {
    const fault = startLine(instances, 4);
    const { live, log } = recordingLive(instances);
    fault.joined!('m#1', [0, 1, 2, 3], live);
    fault.reached!('m#1', trigger('t1', { point: 'joined', action: 'hold' }), live);
    fault.joined!('m#2', [2, 3], live);
    fault.reached!('m#2', trigger('t2', { point: 'joined', action: 'hold' }), live);
    expect(log).toEqual([]); // m#1 still holds all four: no exact split yet
    fault.joined!('m#1', [0, 1], live); // the rebalance reaches m#1
    expect(log).toEqual(['proceed m#1 t1', 'proceed m#2 t2']);
  });
});

describe('world changes between the crash and the restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kol-faults-'));
  const context = (deleted: unknown[] = []): BetweenContext => ({
    workDir: dir,
    topic: 'kol-t',
    instances: [],
    checkpointPath: (instance) => join(dir, `checkpoint-${instance}.json`),
    history: () => [{ kind: 'saved', strategy: 'x', incarnation: 1, via: 'checkpoint-file', positions: { 0: 100 }, time: 0 }],
    resources: { deleteRecords: async (...args: unknown[]) => void deleted.push(args) } as unknown as RunResources,
    moveToNewGroup: (instance) => `new-${instance}`,
  });
  test('loseCheckpoint deletes the files that exist and says so', async () => {
    writeFileSync(join(dir, 'checkpoint-a.json'), '{}');
    expect(await loseCheckpoint({ instances: ['a', 'b'] }).beforeRestart!(context())).toEqual(['deleted checkpoint-a.json (as on a new container or disk)']);
    expect(existsSync(join(dir, 'checkpoint-a.json'))).toBe(false);
  });
  test('rewriteCheckpoint writes the checkpoint format with the chosen positions', async () => {
    const fault = rewriteCheckpoint({ instance: 'x', why: 'its first version', positions: (c) => (c.history()[0] as { positions: Record<number, number> }).positions });
    expect(await fault.beforeRestart!(context())).toEqual(['replaced checkpoint-x.json by its first version {"0":100}']);
    expect(JSON.parse(readFileSync(join(dir, 'checkpoint-x.json'), 'utf8'))).toEqual({ topic: 'kol-t', positions: { 0: 100 } });
  });
  test('deleteRecordsBefore deletes through the run-owned resources only', async () => {
    const deleted: unknown[] = [];
    expect(await deleteRecordsBefore({ partition: 0, offset: 500 }).beforeRestart!(context(deleted))).toEqual([
      'deleted the records before offset 500 (deleteRecords, as retention would)',
    ]);
    expect(deleted).toEqual([['kol-t', [{ partition: 0, offset: 500 }]]]);
  });
});

describe('rewind: what happens after a clean, committed first read (claim C1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kol-rewind-'));
  const target = (name: string) => ({ name, row: name, groupId: `g-${name}`, choice: { strategy: 'manual-commit' as const } });
  const calls: unknown[] = [];
  const context: BetweenContext = {
    workDir: dir,
    topic: 'kol-t',
    instances: ['a', 'b', 'c', 'd'].map(target),
    checkpointPath: (instance) => join(dir, `checkpoint-${instance}.json`),
    history: () => [],
    resources: { resetOffsets: async (...args: unknown[]) => (calls.push(args), [{ partition: 0, offset: 7 }]) } as unknown as RunResources,
    moveToNewGroup: (instance) => `g-${instance}-new`,
  };
  const fault = rewind([
    { instance: 'a', how: 'resume' },
    { instance: 'b', how: 'reset-offsets' },
    { instance: 'c', how: 'new-group' },
    { instance: 'd', how: 'seek-back', positions: () => ({ 0: 500 }) },
  ]);
  test('a clean exit of its instances is the plan (restart); a crash is a problem; others are not its business', () => {
    expect(fault.judgeExit!('a', { code: 0, signal: null })).toBe('restart');
    expect(fault.judgeExit!('a', { code: null, signal: 'SIGKILL' })).toEqual({ problem: expect.stringContaining('did not finish its first read cleanly') });
    expect(fault.judgeExit!('other', { code: 0, signal: null })).toBeUndefined();
  });
  test('resets through the run-owned resources, moves to a new group, rewrites the checkpoint the code seeks to', async () => {
    const done = await fault.beforeRestart!(context);
    expect(done).toHaveLength(4);
    expect(calls).toEqual([['g-b', 'kol-t', 'earliest']]);
    expect(done[1]).toContain('to the earliest, {"0":7}');
    expect(done[2]).toContain('new group g-c-new');
    expect(JSON.parse(readFileSync(join(dir, 'checkpoint-d.json'), 'utf8'))).toEqual({ topic: 'kol-t', positions: { 0: 500 } });
  });
});
