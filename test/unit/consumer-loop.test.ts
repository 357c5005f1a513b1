import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { formatCheckpointFile } from '../../src/boundary/parse.ts';
import { ConsumerLoop } from '../../src/consumer/consumer-loop.ts';
import type { ConsumerHandlers, ConsumerPort, RunSettings } from '../../src/consumer/port.ts';
import type { ChildMessage, SupervisorMessage, Trigger } from '../../src/consumer/protocol.ts';
import type { HistoryEvent, Positions } from '../../src/history/events.ts';
import { createStrategy } from '../../src/strategies/registry.ts';
import type { StrategyChoice } from '../../src/strategies/strategy.ts';

/** The Kafka consumer as the loop sees it: the test delivers assignments and messages, and reads what the loop did. */
class FakePort implements ConsumerPort {
  handlers!: ConsumerHandlers;
  settings!: RunSettings;
  /** seek / pause / resume, in order. */
  readonly calls: string[] = [];
  readonly commits: Positions[] = [];
  committed: Positions = {};
  end: Positions = {};
  disconnected = false;
  /** As kafkajs: a reassigned partition without a commit starts again at the log start (the tests deliver what the client would). */
  uncommittedOnReassign: ConsumerPort['uncommittedOnReassign'] = 'log-start';
  /** Work the loop asked to keep the membership alive for, and whether it was still running. */
  readonly keptAlive: Array<{ settled: boolean }> = [];
  keepAlive<T>(work: Promise<T>): Promise<T> {
    const entry = { settled: false };
    this.keptAlive.push(entry);
    return work.finally(() => (entry.settled = true));
  }
  async run(handlers: ConsumerHandlers, settings: RunSettings) {
    this.handlers = handlers;
    this.settings = settings;
  }
  seek(partition: number, offset: number) {
    this.calls.push(`seek ${partition}@${offset}`);
  }
  pause() {
    this.calls.push('pause');
  }
  resume() {
    this.calls.push('resume');
  }
  /** While set, a commit waits for it after it was sent (a slow OffsetCommit or transaction). */
  commitGate: Promise<void> | undefined;
  async commit(positions: Positions) {
    this.commits.push(positions);
    if (this.commitGate) await this.commitGate;
    this.committed = { ...this.committed, ...positions };
    this.handlers.onCommitted(positions); // kafkajs reports its own commits (COMMIT_OFFSETS)
  }
  /** While set, reading the committed offsets waits for it (a slow OffsetFetch). */
  committedGate: Promise<void> | undefined;
  committedOffsets = async () => {
    await this.committedGate;
    return { ...this.committed };
  };
  endOffsets = async () => ({ ...this.end });
  async disconnect() {
    this.disconnected = true;
  }
  /** The group's assignment; a rebalance keeps the member id, a removed member gets a new one. */
  assign = (partitions: number[], memberId = 'member-1') => this.handlers.onAssigned(partitions, memberId);
  /** Message `offset` of a partition; its seq is offset+1. */
  deliver = (partition: number, offset: number) => this.handlers.onMessage({ partition, offset, seq: offset + 1 });
}

class Died extends Error {}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kol-loop-'));
  dirs.push(dir);
  return dir;
};

interface Setup {
  choice: StrategyChoice;
  triggers?: Trigger[];
  batchSize?: number;
  drainTo?: Positions;
  incarnation?: number;
  committed?: Positions;
  end?: Positions;
  workDir?: string;
  uncommittedOnReassign?: ConsumerPort['uncommittedOnReassign'];
}

async function start({ choice, triggers = [], batchSize = 3, drainTo = { 0: 100 }, incarnation = 1, committed = {}, end = {}, workDir = tempDir(), uncommittedOnReassign = 'log-start' }: Setup) {
  const port = new FakePort();
  port.uncommittedOnReassign = uncommittedOnReassign;
  port.committed = committed;
  port.end = end;
  const events: HistoryEvent[] = [];
  const sent: ChildMessage[] = [];
  const exits: number[] = [];
  let receive: (message: SupervisorMessage) => void = () => {};
  const runtime = { consumer: port, kafka: undefined as unknown as Kafka, topic: 't', workDir, instance: 's', row: 's', groupId: 'g', incarnation };
  const loop = new ConsumerLoop({
    port, strategy: createStrategy(choice, runtime), history: { append: (e) => events.push(e) }, triggers,
    channel: { send: (m) => sent.push(m), receive: (handler) => (receive = handler) },
    instance: 's', incarnation, topic: 't', batchSize, drainTo, logStart: { 0: 0, 1: 0 },
    die: () => { throw new Died(); }, exit: (code) => exits.push(code), log: () => {},
  });
  await loop.run();
  const proceed = (trigger: string) => receive({ type: 'continue', trigger });
  return { port, events, sent, exits, proceed, workDir };
}

const kinds = (events: HistoryEvent[]) => events.map((e) => (e.kind === 'processed' ? `processed ${e.offset}` : e.kind === 'saved' ? `saved ${JSON.stringify(e.positions)}` : e.kind));
const processed = (events: HistoryEvent[]) => events.flatMap((e) => (e.kind === 'processed' ? [e.offset] : []));
const crashes = (events: HistoryEvent[]) => events.filter((e) => e.kind === 'crash');
const settled = (promise: Promise<unknown>) => Promise.race([promise.then(() => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 20))]);
const manual: StrategyChoice = { strategy: 'manual-commit' };

describe('ConsumerLoop', () => {
  test('a message before the resume point is refused as a harness artifact, not processed', async () => {
    const workDir = tempDir();
    writeFileSync(join(workDir, 'checkpoint-s.json'), formatCheckpointFile('t', { 0: 5 }));
    const { port, events, sent, exits } = await start({ choice: { strategy: 'file-checkpoint' }, workDir });
    port.assign([0]);
    expect(port.calls).toEqual(['seek 0@5']);
    await port.deliver(0, 3);
    expect(sent).toContainEqual({ type: 'harness-artifact', message: 's received t/0@3 before its resume point 5' });
    expect(exits).toEqual([70]);
    expect(processed(events)).toEqual([]);
  });

  test('a message at the resume point is processed', async () => {
    const workDir = tempDir();
    writeFileSync(join(workDir, 'checkpoint-s.json'), formatCheckpointFile('t', { 0: 5 }));
    const { port, events, exits } = await start({ choice: { strategy: 'file-checkpoint' }, workDir });
    port.assign([0]);
    await port.deliver(0, 5);
    expect(processed(events)).toEqual([5]);
    expect(exits).toEqual([]);
  });

  test('file-checkpoint reads its file again on a rebalance; a partition it read before continues where it got to', async () => {
    const workDir = tempDir();
    const file = join(workDir, 'checkpoint-s.json');
    writeFileSync(file, formatCheckpointFile('t', { 0: 5 }));
    const { port } = await start({ choice: { strategy: 'file-checkpoint' }, workDir });
    port.assign([0]);
    await port.deliver(0, 5);
    writeFileSync(file, formatCheckpointFile('t', { 0: 2, 1: 7 })); // another member wrote the shared file
    port.assign([0, 1]);
    expect(port.calls).toEqual(['seek 0@5', 'seek 0@6', 'seek 1@7']);
  });

  test('a restart without its checkpoint falls back to the end and records the fallback', async () => {
    const { port, events } = await start({ choice: { strategy: 'file-checkpoint', options: { fallback: 'latest' } }, incarnation: 2, end: { 0: 40 } });
    expect(events.find((e) => e.kind === 'fallback')).toMatchObject({ reason: 'missing', policy: 'latest' });
    port.assign([0]);
    expect(port.calls).toEqual(['seek 0@40']);
  });

  test('after-process saves fall on processed-message boundaries', async () => {
    const { port, events } = await start({ choice: manual });
    port.assign([0]);
    for (let offset = 0; offset < 7; offset++) await port.deliver(0, offset);
    expect(port.commits).toEqual([{ 0: 3 }, { 0: 6 }]);
    expect(kinds(events).slice(2)).toEqual([
      'processed 0', 'processed 1', 'processed 2', 'saved {"0":3}', 'processed 3', 'processed 4', 'processed 5', 'saved {"0":6}', 'processed 6',
    ]);
  });

  test('before-process saves the end of the batch before processing it', async () => {
    const { port, events } = await start({ choice: { strategy: 'manual-commit', options: { commitOrder: 'before-process' } } });
    port.assign([0]);
    for (let offset = 0; offset < 4; offset++) await port.deliver(0, offset);
    expect(kinds(events).slice(2)).toEqual(['saved {"0":3}', 'processed 0', 'processed 1', 'processed 2', 'saved {"0":6}', 'processed 3']);
  });

  test.each([
    ['before-process', [0, 1], []],
    ['mid-batch', [0, 1, 2], []],
    ['during-save', [0, 1, 2], []],
    ['after-save', [0, 1, 2], [{ 0: 3 }]],
  ] as const)('die at %s of message 3 fires there, once', async (point, survivors, commits) => {
    const { port, events } = await start({ choice: manual, triggers: [{ id: 'd', point, atProcessed: 3, action: 'die' }] });
    port.assign([0]);
    await port.deliver(0, 0);
    await port.deliver(0, 1);
    expect(crashes(events)).toEqual([]);
    await expect(port.deliver(0, 2)).rejects.toThrow(Died);
    expect(crashes(events)).toMatchObject([{ kind: 'crash', point, processedInIncarnation: survivors.length }]);
    expect(processed(events)).toEqual(survivors);
    expect(port.commits).toEqual(commits);
  });

  test('after a rebalance a store that keeps results with offsets decides: unsaved work is delivered again; a plain file keeps its progress', async () => {
    // atomic-store drops results it applied but did not save when the assignment changes, so
    // the loop must seek back to the stored offset even on a partition this process kept.
    const atomic = await start({ choice: { strategy: 'atomic-store' }, batchSize: 3 });
    atomic.port.assign([0]);
    for (const offset of [0, 1, 2, 3, 4]) await atomic.port.deliver(0, offset); // saved at 3, 3..4 pending
    atomic.port.assign([0]); // a rebalance gave partition 0 back
    expect(atomic.port.calls.filter((c) => c.startsWith('seek'))).toEqual(['seek 0@0', 'seek 0@3']);
    // file-checkpoint (the question's design) goes on from where this process got to.
    const file = await start({ choice: { strategy: 'file-checkpoint' }, batchSize: 3 });
    file.port.assign([0]);
    for (const offset of [0, 1, 2, 3, 4]) await file.port.deliver(0, offset);
    file.port.assign([0]);
    expect(file.port.calls.filter((c) => c.startsWith('seek'))).toEqual(['seek 0@0', 'seek 0@5']);
  });

  test('a refused save (a fenced zombie) is recorded and ends the process with exit 1', async () => {
    const { port, events, exits } = await start({ choice: manual });
    port.commit = async () => {
      throw new Error('The coordinator is not aware of this member');
    };
    port.assign([0]);
    for (const offset of [0, 1]) await port.deliver(0, offset);
    await expect(port.deliver(0, 2)).rejects.toThrow(/not aware of this member/);
    expect(events.filter((e) => e.kind === 'save-failed')).toMatchObject([{ positions: { 0: 3 }, error: 'The coordinator is not aware of this member' }]);
    expect(exits).toEqual([1]);
    await port.deliver(0, 3).catch(() => {});
    expect(processed(events)).toEqual([0, 1, 2]); // nothing after the refusal
  });

  test('a SIGKILL during an in-place save leaves the truncated, empty file', async () => {
    const { port, events, workDir } = await start({ choice: { strategy: 'file-checkpoint' }, triggers: [{ id: 'd', point: 'during-save', atProcessed: 3, action: 'die' }] });
    port.assign([0]);
    for (const offset of [0, 1]) await port.deliver(0, offset);
    await expect(port.deliver(0, 2)).rejects.toThrow(Died);
    expect(readFileSync(join(workDir, 'checkpoint-s.json'), 'utf8')).toBe('');
    expect(crashes(events)).toHaveLength(1);
  });

  test('a power loss during an in-place save leaves half of the new bytes', async () => {
    const choice = { strategy: 'file-checkpoint', options: { tornBy: 'power-loss' } } as const;
    const { port, events, workDir } = await start({ choice, triggers: [{ id: 'd', point: 'during-save', atProcessed: 3, action: 'die' }] });
    port.assign([0]);
    for (const offset of [0, 1]) await port.deliver(0, offset);
    await expect(port.deliver(0, 2)).rejects.toThrow(Died);
    const whole = formatCheckpointFile('t', { 0: 3 });
    expect(readFileSync(join(workDir, 'checkpoint-s.json'), 'utf8')).toBe(whole.slice(0, Math.floor(whole.length / 2)));
    expect(crashes(events)).toHaveLength(1);
    expect(events.some((e) => e.kind === 'saved' || e.kind === 'save-failed')).toBe(false);
  });

  test('strategy work (each save) keeps the membership alive; a harness hold does not', async () => {
    const { port, proceed } = await start({ choice: manual, triggers: [{ id: 'h', point: 'mid-batch', atProcessed: 4, action: 'hold' }] });
    port.assign([0]);
    for (let offset = 0; offset < 3; offset++) await port.deliver(0, offset);
    expect(port.keptAlive).toEqual([{ settled: true }]); // the save after message 3
    const held = port.deliver(0, 3);
    expect(await settled(held)).toBe('pending');
    expect(port.keptAlive).toHaveLength(1); // held, and nobody heartbeats for it: a frozen member must be evictable
    proceed('h');
    await held;
    for (let offset = 4; offset < 6; offset++) await port.deliver(0, offset);
    expect(port.keptAlive).toEqual([{ settled: true }, { settled: true }]);
  });

  test('a live hold keeps the membership alive while it waits, and a die trigger with it dies on continue', async () => {
    const { port, events, sent, proceed } = await start({ choice: manual, triggers: [{ id: 'k', point: 'mid-batch', atProcessed: 2, action: 'die', liveHold: true }] });
    port.assign([0]);
    await port.deliver(0, 0);
    const second = port.deliver(0, 1);
    expect(await settled(second)).toBe('pending');
    expect(sent.filter((m) => m.type === 'reached')).toEqual([{ type: 'reached', trigger: 'k' }]);
    expect(port.keptAlive).toEqual([{ settled: false }]); // the hold itself, heartbeating
    expect(crashes(events)).toEqual([]);
    proceed('k');
    await expect(second).rejects.toBeInstanceOf(Died);
    expect(crashes(events)).toMatchObject([{ point: 'mid-batch', processedInIncarnation: 2 }]);
  });

  test('says once per assignment when it has read its partitions to the end', async () => {
    const { port, sent } = await start({ choice: manual, drainTo: { 0: 2, 1: 2 } });
    const idle = () => sent.filter((m) => m.type === 'idle').length;
    port.assign([0]);
    await port.deliver(0, 0);
    expect(idle()).toBe(0);
    await port.deliver(0, 1);
    expect(idle()).toBe(1); // its share (partition 0) is done, though partition 1 is not
    port.assign([0, 1]);
    // Nothing of partition 0 was committed (a batch is 3): like both real clients, the port starts it again at the committed offset (none).
    await port.deliver(0, 0);
    await port.deliver(0, 1);
    await port.deliver(1, 0);
    expect(idle()).toBe(1);
    await port.deliver(1, 1);
    expect(idle()).toBe(2);
  });

  test('a drain found while the last batch is still saving waits for that save before its own', async () => {
    // After a rebalance the group's commits are read late; here they arrive during the last batch's save.
    const { port, exits } = await start({ choice: manual, batchSize: 2, drainTo: { 0: 2, 1: 2 } });
    port.assign([0, 1]);
    await port.deliver(1, 0);
    await port.deliver(1, 1); // partition 1 done and committed
    let openCommitted = () => {};
    port.committedGate = new Promise((resolve) => (openCommitted = resolve));
    port.assign([0, 1]); // a rebalance: where the client resumes partition 1 is not known yet
    await port.deliver(0, 0);
    let openCommit = () => {};
    port.commitGate = new Promise((resolve) => (openCommit = resolve));
    const last = port.deliver(0, 1); // the batch's save is sent, not answered
    openCommitted(); // the commits arrive: every partition is read to its end
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(port.commits).toEqual([{ 1: 2 }, { 0: 2 }]); // no second save beside the one in flight
    openCommit();
    await last;
    await vi.waitFor(() => expect(exits).toEqual([0]));
    expect(port.commits).toEqual([{ 1: 2 }, { 0: 2 }, { 0: 2 }]); // the drain's save, after it
  });

  test('a share read before the commits of its reassignment arrive is reported once they do', async () => {
    const { port, sent } = await start({ choice: manual, batchSize: 2, drainTo: { 0: 2, 1: 2 } });
    const idle = () => sent.filter((m) => m.type === 'idle').length;
    port.assign([0, 1]);
    let open = () => {};
    port.committedGate = new Promise((resolve) => (open = resolve));
    port.assign([0]); // the group split: partition 1 went to another member
    await port.deliver(0, 0);
    await port.deliver(0, 1); // a batch: committed
    expect(idle()).toBe(0); // where the client resumed is not known yet
    open();
    await vi.waitFor(() => expect(idle()).toBe(1));
  });

  test('a hold at a message waits for continue, and fires once', async () => {
    const { port, events, sent, proceed } = await start({ choice: manual, triggers: [{ id: 'h', point: 'mid-batch', atProcessed: 2, action: 'hold', record: 'frozen' }] });
    port.assign([0]);
    await port.deliver(0, 0);
    const second = port.deliver(0, 1);
    expect(await settled(second)).toBe('pending');
    expect(sent.filter((m) => m.type === 'reached')).toEqual([{ type: 'reached', trigger: 'h' }]);
    expect(kinds(events).slice(2)).toEqual(['processed 0', 'processed 1', 'frozen']);
    expect(events.find((e) => e.kind === 'frozen')).toMatchObject({ processedInIncarnation: 2 });
    proceed('other');
    expect(await settled(second)).toBe('pending');
    proceed('h');
    expect(await settled(second)).toBe('settled');
    for (let offset = 2; offset < 8; offset++) await port.deliver(0, offset);
    expect(sent.filter((m) => m.type === 'reached')).toHaveLength(1);
    expect(port.commits).toEqual([{ 0: 3 }, { 0: 6 }]);
  });

  test('a hold at joined pauses before the first fetch and resumes on continue', async () => {
    const { port, sent, proceed } = await start({ choice: manual, triggers: [{ id: 'j', point: 'joined', action: 'hold' }] });
    port.assign([0, 1]);
    expect(port.calls).toEqual(['pause']);
    expect(sent).toEqual([{ type: 'joined', partitions: [0, 1] }, { type: 'reached', trigger: 'j', partitions: [0, 1] }]);
    port.assign([1]); // a rebalance while held: still paused, no second hold
    expect(port.calls).toEqual(['pause', 'pause']);
    proceed('j');
    await vi.waitFor(() => expect(port.calls).toEqual(['pause', 'pause', 'resume']));
    port.assign([0, 1]);
    expect(port.calls).toEqual(['pause', 'pause', 'resume']);
    expect(sent.filter((m) => m.type === 'reached')).toHaveLength(1);
    expect(sent.filter((m) => m.type === 'joined')).toHaveLength(3);
  });

  test('the drain ends at the end offsets and saves the last partial batch', async () => {
    const { port, events, exits, workDir } = await start({ choice: { strategy: 'file-checkpoint' }, drainTo: { 0: 5 } });
    port.assign([0]);
    for (let offset = 0; offset < 5; offset++) await port.deliver(0, offset);
    await vi.waitFor(() => expect(exits).toEqual([0]));
    expect(kinds(events).slice(-3)).toEqual(['processed 4', 'saved {"0":5}', 'drained']);
    expect(readFileSync(join(workDir, 'checkpoint-s.json'), 'utf8')).toBe(formatCheckpointFile('t', { 0: 5 }));
    expect(port.disconnected).toBe(true);
    await port.deliver(0, 5); // fetched before the disconnect: ignored
    expect(processed(events)).toEqual([0, 1, 2, 3, 4]);
  });

  test('a before-process strategy does not save again at the drain', async () => {
    const { port, exits } = await start({ choice: { strategy: 'manual-commit', options: { commitOrder: 'before-process' } }, drainTo: { 0: 4 } });
    port.assign([0]);
    for (let offset = 0; offset < 4; offset++) await port.deliver(0, offset);
    await vi.waitFor(() => expect(exits).toEqual([0]));
    // the second batch starts at offset 3 and would end at 6, past the partition's end 4: clamped
    expect(port.commits).toEqual([{ 0: 3 }, { 0: 4 }]);
  });

  test('a group that committed the end already drains at once', async () => {
    const { port, events, exits } = await start({ choice: manual, drainTo: { 0: 5 }, committed: { 0: 5 }, incarnation: 2 });
    port.assign([0]);
    await vi.waitFor(() => expect(exits).toEqual([0]));
    expect(events.find((e) => e.kind === 'joined')).toMatchObject({ resumeFrom: { 0: 5 }, member: 'member-1' });
    expect(port.commits).toEqual([]);
  });

  test('after a rebalance the committed offsets are read again for the drain', async () => {
    const { port, exits } = await start({ choice: manual, batchSize: 2, drainTo: { 0: 2, 1: 3 } });
    port.assign([0]);
    await port.deliver(0, 0);
    await port.deliver(0, 1); // a batch: committed
    port.committed = { ...port.committed, 1: 3 }; // another member read partition 1 to its end and committed
    port.assign([0, 1]);
    await vi.waitFor(() => expect(exits).toEqual([0]));
  });

  test('after a rebalance a partition it kept is not done until what it read past the commit has come again', async () => {
    const { port, exits } = await start({ choice: manual, batchSize: 3, drainTo: { 0: 2, 1: 3 } });
    port.assign([0]);
    await port.deliver(0, 0);
    await port.deliver(0, 1); // read to the end of partition 0, not committed (a batch is 3)
    port.committed = { 1: 3 };
    port.assign([0, 1]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the committed offsets are read again meanwhile
    expect(exits).toEqual([]);
    await port.deliver(0, 0);
    await port.deliver(0, 1);
    await vi.waitFor(() => expect(exits).toEqual([0]));
  });

  test('on a client that keeps its fetch position (@platformatic/kafka), a kept partition without a commit is done where it was read to', async () => {
    const { port, exits } = await start({ choice: manual, batchSize: 3, drainTo: { 0: 2, 1: 3 }, uncommittedOnReassign: 'where-it-was' });
    port.assign([0]);
    await port.deliver(0, 0);
    await port.deliver(0, 1);
    port.committed = { 1: 3 };
    port.assign([0, 1]);
    await vi.waitFor(() => expect(exits).toEqual([0]));
  });

  test('handed-off processing returns before the work is done', async () => {
    const { port, events } = await start({ choice: { strategy: 'auto-commit', options: { processing: 'handed-off' } } });
    expect(port.settings.autoCommit).toEqual({ intervalMs: 5000 });
    port.assign([0]);
    for (let offset = 0; offset < 3; offset++) await port.deliver(0, offset);
    expect(processed(events)).toEqual([]);
    await vi.waitFor(() => expect(processed(events)).toEqual([0, 1, 2]));
  });

  test('awaited processing is done when the handler returns', async () => {
    const { port, events } = await start({ choice: { strategy: 'auto-commit' } });
    port.assign([0]);
    await port.deliver(0, 0);
    expect(processed(events)).toEqual([0]);
  });
});
