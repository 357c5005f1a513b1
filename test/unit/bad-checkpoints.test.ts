import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterAll, describe, expect, test } from 'vitest';
import { ConsumerLoop } from '../../src/consumer/consumer-loop.ts';
import type { ConsumerHandlers, ConsumerPort } from '../../src/consumer/port.ts';
import type { HistoryEvent } from '../../src/history/events.ts';
import { checkpointPath, fileCheckpoint } from '../../src/strategies/file-checkpoint.ts';
import { badCheckpoints, refusals } from '../fixtures/bad-checkpoints.ts';

const workDir = mkdtempSync(join(tmpdir(), 'kol-bad-checkpoint-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const topic = 'lab-topic';
/** The topic has one partition, 300 messages. */
const topicEnds = { 0: 300 };

function restartedWith(kind: string) {
  const instance = `s-${kind}`;
  const runtime = {
    consumer: undefined as unknown as ConsumerPort, kafka: undefined as unknown as Kafka,
    topic, workDir, instance, row: instance, groupId: 'g', incarnation: 2, topicEnds,
  };
  writeFileSync(checkpointPath(workDir, instance), badCheckpoints[kind]!(topic));
  return fileCheckpoint.create(runtime, { fallback: 'earliest' });
}

describe('a restart finds a bad checkpoint file: the fallback applies, and the detail names the file and why', () => {
  test.each(Object.keys(badCheckpoints))('%s', (kind) => {
    const plan = restartedWith(kind).resumePlan();
    expect(plan).toMatchObject({ from: 'fallback', reason: 'unreadable', policy: 'earliest' });
    const detail = (plan as { detail: string }).detail;
    expect(detail.startsWith(`checkpoint-s-${kind}.json: `)).toBe(true);
    expect(detail).toMatch(refusals[kind]!);
  });

  test('an offset at the end of the partition is a position, not a refusal (all read)', () => {
    writeFileSync(checkpointPath(workDir, 'at-end'), JSON.stringify({ topic, positions: { 0: 300 } }));
    const runtime = { consumer: undefined as unknown as ConsumerPort, kafka: undefined as unknown as Kafka, topic, workDir, instance: 'at-end', row: 'r', groupId: 'g', incarnation: 2, topicEnds };
    expect(fileCheckpoint.create(runtime, {}).resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 300 } });
  });

  test('the consumer loop records the refusal as a fallback event and resumes at the log start', async () => {
    const events: HistoryEvent[] = [];
    const seeks: string[] = [];
    let handlers!: ConsumerHandlers;
    const port: ConsumerPort = {
      run: async (h) => void (handlers = h),
      seek: (p, o) => void seeks.push(`${p}@${o}`),
      pause: () => {}, resume: () => {}, commit: async () => {},
      committedOffsets: async () => ({}), endOffsets: async () => ({ 0: 300 }), disconnect: async () => {}, uncommittedOnReassign: 'log-start',
    };
    const loop = new ConsumerLoop({
      port, strategy: restartedWith('unknown-partition'), history: { append: (e) => void events.push(e) }, triggers: [],
      channel: { send: () => {}, receive: () => {} }, instance: 's-unknown-partition', incarnation: 2, topic,
      batchSize: 50, drainTo: topicEnds, logStart: { 0: 5 }, exit: () => {}, log: () => {},
    });
    await loop.run();
    handlers.onAssigned([0], 'member-1');
    expect(events.find((e) => e.kind === 'fallback')).toMatchObject({
      reason: 'unreadable', policy: 'earliest', detail: expect.stringMatching(/^checkpoint-s-unknown-partition\.json: .*has no partition 7/),
    });
    expect(seeks).toEqual(['0@5']);
  });
});
