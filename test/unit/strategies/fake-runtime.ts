import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { ConsumerPort } from '../../../src/consumer/port.ts';
import type { Positions } from '../../../src/history/events.ts';
import type { Effect, EffectReadContext, StrategyRuntime } from '../../../src/strategies/strategy.ts';

/** A consumer port that records commits; strategies tested here never fetch. */
export function fakeConsumer(): ConsumerPort & { commits: Positions[] } {
  const commits: Positions[] = [];
  const unused = () => {
    throw new Error('not used by this test');
  };
  return {
    commits,
    run: unused,
    seek: unused,
    pause: unused,
    resume: unused,
    commit: async (positions) => void commits.push({ ...positions }),
    committedOffsets: unused,
    endOffsets: unused,
    disconnect: async () => {},
    uncommittedOnReassign: 'log-start',
  };
}

export function tempWorkDir(): string {
  return mkdtempSync(join(tmpdir(), 'kol-strategy-test-'));
}

/** A strategy's child-side runtime without a broker (no test here talks to Kafka). */
export function fakeRuntime(workDir: string, instance: string, row = 'row-a'): StrategyRuntime & { consumer: ReturnType<typeof fakeConsumer> } {
  return {
    workDir,
    instance,
    row,
    topic: 'input',
    consumer: fakeConsumer(),
    kafka: {} as Kafka,
    groupId: 'group',
    incarnation: 1,
  };
}

export function readContext(workDir: string, produced: Effect[] = [], row = 'row-a'): EffectReadContext {
  return { workDir, instance: 'reader', row, topic: 'input', kafka: {} as Kafka, produced };
}

/** Deliveries of one partition, seq = offset + 1000 * partition. */
export function deliveries(partition: number, from: number, to: number): Effect[] {
  return Array.from({ length: to - from }, (_, i) => ({ partition, offset: from + i, seq: 1000 * partition + from + i }));
}
